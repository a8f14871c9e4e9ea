package dev.slipway.kubernetes.observability;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The controller's informer cache of ManagedUpgrades (JOSDK's primary cache: one informer per watched namespace, or
 * one for all), handed over when the controller prepares its event sources. Everything that reads ManagedUpgrades
 * without reconciling them (status metrics, the status API) reads here instead of asking the API server again.
 */
@ApplicationScoped
public class ManagedUpgradeCache {

    private volatile IndexerResourceCache<ManagedUpgrade> controllerCache;

    /** Called by the controller with its primary cache; it fills once the operator starts. */
    public void readFrom(IndexerResourceCache<ManagedUpgrade> controllerCache) {
        this.controllerCache = controllerCache;
    }

    /**
     * Whether the cache holds what the API server holds: the operator has started and every informer of the
     * controller runs, has listed and is watching (the same test as QOSDK's readiness check). Under leader election
     * a standby's informers run too (only reconciling waits for the Lease), so a standby is synced as well.
     */
    public boolean synced() {
        if (!(controllerCache instanceof InformerWrappingEventSourceHealthIndicator<?> health)) {
            return false;
        }
        Map<String, InformerHealthIndicator> informers = health.informerHealthIndicators();
        return !informers.isEmpty() && informers.values().stream()
                .allMatch(informer -> informer.isRunning() && informer.hasSynced() && informer.isWatching());
    }

    /** Every ManagedUpgrade the informers hold (none before the operator started). */
    public Stream<ManagedUpgrade> list() {
        IndexerResourceCache<ManagedUpgrade> cache = controllerCache;
        return cache == null ? Stream.empty() : cache.list();
    }

    public Optional<ManagedUpgrade> get(String namespace, String name) {
        IndexerResourceCache<ManagedUpgrade> cache = controllerCache;
        return cache == null ? Optional.empty() : cache.get(new ResourceID(name, namespace));
    }
}
