package dev.slipway.bench;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Watches every ManagedUpgrade through an informer in the benchmark JVM (its cache is checked every 50 ms, so the
 * API server sees one watch, not a polling list) and tells when all of them first have a steady status:
 * {@code status.observedGeneration == metadata.generation} and the phase the fleet expects.
 */
final class SteadyWatch implements AutoCloseable {

    private static final Duration CHECK_EVERY = Duration.ofMillis(50);

    private final Map<String, Phase> expected;
    private final SharedIndexInformer<ManagedUpgrade> informer;

    SteadyWatch(KubernetesClient client, ShopFleet fleet) {
        this.expected = fleet.expectedPhases();
        this.informer = client.resources(ManagedUpgrade.class).inAnyNamespace().inform();
    }

    /** The {@link System#nanoTime()} at which every resource was first seen steady; empty if not within the limit. */
    OptionalLong awaitAllSteady(Duration limit, OperatorProcess operator) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<ManagedUpgrade> resources = informer.getStore().list();
            if (resources.size() == expected.size() && resources.stream().allMatch(this::steady)) {
                return OptionalLong.of(System.nanoTime());
            }
            operator.checkAlive();
            Thread.sleep(CHECK_EVERY.toMillis());
        }
        return OptionalLong.empty();
    }

    /** How many resources are steady now. */
    long steadyCount() {
        return informer.getStore().list().stream().filter(this::steady).count();
    }

    /** The phases seen now and a few resources that are not steady, for a run that did not settle. */
    String whyNotSteady() {
        Map<String, Integer> phases = new TreeMap<>();
        informer.getStore().list().forEach(resource -> phases.merge(
                resource.getStatus() == null ? "no status" : String.valueOf(resource.getStatus().getPhase()), 1,
                Integer::sum));
        List<String> unsteady = informer.getStore().list().stream().filter(resource -> !steady(resource)).limit(3)
                .map(resource -> resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName()
                        + " generation " + resource.getMetadata().getGeneration() + ", status "
                        + (resource.getStatus() == null ? "none" : "observedGeneration "
                                + resource.getStatus().getObservedGeneration() + " phase "
                                + resource.getStatus().getPhase()))
                .toList();
        return "phases seen: " + phases + "; for example " + unsteady;
    }

    private boolean steady(ManagedUpgrade resource) {
        var status = resource.getStatus();
        Phase phase = expected.get(resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName());
        return status != null && resource.getMetadata().getGeneration().equals(status.getObservedGeneration())
                && phase != null && phase == status.getPhase();
    }

    @Override
    public void close() {
        informer.stop();
    }
}
