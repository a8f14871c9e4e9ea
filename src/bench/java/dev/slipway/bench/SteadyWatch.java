package dev.slipway.bench;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches every ManagedUpgrade (an informer in the benchmark JVM, so no polling load on the API server) and notes the
 * moment all of them first have a steady status: {@code status.observedGeneration == metadata.generation} and the
 * phase the fleet expects.
 */
final class SteadyWatch implements AutoCloseable {

    private final Map<String, Phase> expected;
    private final Map<String, String> phases = new HashMap<>();
    private final Map<String, Boolean> steady = new HashMap<>();
    private final SharedIndexInformer<ManagedUpgrade> informer;
    private long allSteadyAtNanos;

    SteadyWatch(KubernetesClient client, ShopFleet fleet) {
        this.expected = fleet.expectedPhases();
        this.informer = client.resources(ManagedUpgrade.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ManagedUpgrade resource) {
                seen(resource);
            }

            @Override
            public void onUpdate(ManagedUpgrade previous, ManagedUpgrade resource) {
                seen(resource);
            }

            @Override
            public void onDelete(ManagedUpgrade resource, boolean finalStateUnknown) {
            }
        });
    }

    private synchronized void seen(ManagedUpgrade resource) {
        String key = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
        var status = resource.getStatus();
        String phase = status == null ? null : status.getPhase();
        phases.put(key, phase);
        steady.put(key, status != null && resource.getMetadata().getGeneration().equals(status.getObservedGeneration())
                && expected.get(key).name().equals(phase));
        if (allSteadyAtNanos == 0 && steady.size() == expected.size() && !steady.containsValue(false)) {
            allSteadyAtNanos = System.nanoTime();
            notifyAll();
        }
    }

    /** The {@link System#nanoTime()} at which every resource was first steady; throws with the phases seen if not. */
    synchronized long awaitAllSteady(Duration limit, OperatorProcess operator) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (allSteadyAtNanos == 0 && System.nanoTime() < deadline) {
            operator.checkAlive();
            wait(1000);
        }
        if (allSteadyAtNanos == 0) {
            Map<String, Integer> counts = new TreeMap<>();
            phases.values().forEach(phase -> counts.merge(String.valueOf(phase), 1, Integer::sum));
            throw new IllegalStateException(expected.size() + " resources were not all steady within " + limit
                    + "; phases seen: " + counts + "\n" + operator.log());
        }
        return allSteadyAtNanos;
    }

    @Override
    public void close() {
        informer.stop();
    }
}
