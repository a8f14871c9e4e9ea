package dev.slipway.testing;

import dev.slipway.kubernetes.FeedCache;
import dev.slipway.kubernetes.ManagedUpgradeReconciler;
import dev.slipway.kubernetes.observability.ManagedUpgradeCache;
import dev.slipway.kubernetes.observability.StatusMetrics;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.kubernetes.upgrade.AdminActions;
import dev.slipway.kubernetes.upgrade.FirstInstallCheck;
import dev.slipway.kubernetes.upgrade.UpgradeDeletion;
import dev.slipway.kubernetes.upgrade.UpgradeExecutor;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.releaseapi.ReleaseApiClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Operators a crash test starts and stops itself, each as a freshly started process would be after a crash: nothing
 * but what the cluster holds (a new feed cache, new informers, a new status-metrics registry), the application's
 * executor and step beans shared so that a test can stop the first one at a checkpoint.
 */
@Singleton
public class FreshOperators {

    @Inject
    KubernetesClient client;
    @Inject
    UpgradeExecutor executor;
    @Inject
    AdminActions actions;
    @Inject
    UpgradeDeletion deletion;
    @Inject
    Workloads workloads;
    @Inject
    EventRecorder events;
    @Inject
    ReleaseApiClient releaseApi;
    @Inject
    MeterRegistry metrics;
    @Inject
    FirstInstallCheck firstInstall;
    @Inject
    Clock clock;

    private final List<Operator> running = new ArrayList<>();

    /** An operator reconciling only {@code namespace}, started. */
    public Operator start(String namespace) {
        // As the packaged operator (quarkus.operator-sdk.enable-ssa=false): the CRUD API server has no server-side
        // apply, which JOSDK would otherwise use to add the finalizer.
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withStopOnInformerErrorDuringStartup(false));
        operator.register(new ManagedUpgradeReconciler(client, new FeedCache(releaseApi, clock, metrics), workloads,
                executor, actions, deletion, events, new StatusMetrics(new SimpleMeterRegistry()),
                new ManagedUpgradeCache(), firstInstall, clock), o -> o.settingNamespace(namespace));
        operator.start();
        running.add(operator);
        return operator;
    }

    /** What a crash does to the process: its controllers stop, whatever they were doing. */
    public void stop(Operator operator) {
        operator.stop();
        running.remove(operator);
    }

    public void stopAll() {
        List.copyOf(running).forEach(this::stop);
    }
}
