package dev.slipway.kubernetes;

import dev.slipway.kubernetes.observability.StatusMetrics;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;

/**
 * Starts the operator where a role asks for it (the {@code operator} subcommand, operator tests) and stops it with
 * the application. QOSDK stops only an operator it started itself (start-operator=false here, so CLI subcommands never
 * contact Kubernetes); without this a stopped pod would keep its Lease until it expires, and a test application's
 * operator would outlive the application.
 */
@ApplicationScoped
public class OperatorLifecycle {

    private final Operator operator;
    private final StatusMetrics statusMetrics;

    public OperatorLifecycle(Operator operator, StatusMetrics statusMetrics) {
        this.operator = operator;
        this.statusMetrics = statusMetrics;
    }

    /** Starts the controllers (returns once their informers have synced) and the status metrics. */
    public void start() {
        operator.start();
        statusMetrics.start();
    }

    /** Only if this bean exists, i.e. only in a role that started the operator. */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        if (operator.getRuntimeInfo().isStarted()) {
            operator.stop();
        }
    }
}
