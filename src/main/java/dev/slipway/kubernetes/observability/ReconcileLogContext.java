package dev.slipway.kubernetes.observability;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import org.jboss.logging.MDC;

/**
 * Puts the resource being reconciled (namespace, name) and the upgrade step into the logging MDC, so every log line
 * of a reconcile carries them (JSON logs show them under "mdc"). Each call replaces all three keys: reconciler threads
 * are pooled, and a value left from another resource must never survive into this one.
 */
public final class ReconcileLogContext {

    public static final String NAMESPACE = "namespace";
    public static final String NAME = "name";
    public static final String STEP = "step";

    private ReconcileLogContext() {
    }

    /** At the start of a reconcile: the resource, and the step its checkpoint says is in progress (if any). */
    public static void enter(ManagedUpgrade resource) {
        MDC.put(NAMESPACE, resource.getMetadata().getNamespace());
        MDC.put(NAME, resource.getMetadata().getName());
        var upgrade = resource.getStatus() == null ? null : resource.getStatus().getUpgrade();
        step(upgrade == null ? null : upgrade.getStep());
    }

    /** When an upgrade moves to another step within the same reconcile; null once no step runs. */
    public static void step(String step) {
        if (step == null) {
            MDC.remove(STEP);
        } else {
            MDC.put(STEP, step);
        }
    }
}
