package dev.slipway.testing;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A fabric8 informer of the test's own shaped like the controller's primary cache (what JOSDK hands the reconciler),
 * for tests that run without the operator but read through {@link dev.slipway.kubernetes.observability.ManagedUpgradeCache}:
 * the same list-and-watch against the test API server, without a reconciler rewriting the statuses the test wrote.
 */
public final class InformerCache implements IndexerResourceCache<ManagedUpgrade>,
        InformerWrappingEventSourceHealthIndicator<ManagedUpgrade> {

    private final SharedIndexInformer<ManagedUpgrade> informer;

    public InformerCache(SharedIndexInformer<ManagedUpgrade> informer) {
        this.informer = informer;
    }

    @Override
    public Optional<ManagedUpgrade> get(ResourceID id) {
        return Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(id.getNamespace().orElse(null),
                id.getName())));
    }

    @Override
    public Stream<ResourceID> keys() {
        return informer.getStore().list().stream().map(ResourceID::fromResource);
    }

    @Override
    public Stream<ManagedUpgrade> list(Predicate<ManagedUpgrade> predicate) {
        return informer.getStore().list().stream().filter(predicate);
    }

    @Override
    public Stream<ManagedUpgrade> list(String namespace, Predicate<ManagedUpgrade> predicate) {
        return list(resource -> namespace.equals(resource.getMetadata().getNamespace()) && predicate.test(resource));
    }

    @Override
    public List<ManagedUpgrade> byIndex(String indexName, String indexKey) {
        throw new UnsupportedOperationException("no indexes in a test's cache");
    }

    @Override
    public void addIndexers(Map<String, Function<ManagedUpgrade, List<String>>> indexers) {
        throw new UnsupportedOperationException("no indexes in a test's cache");
    }

    @Override
    public Map<String, InformerHealthIndicator> informerHealthIndicators() {
        return Map.of("all namespaces", new InformerHealthIndicator() {
            @Override
            public boolean hasSynced() {
                return informer.hasSynced();
            }

            @Override
            public boolean isWatching() {
                return informer.isWatching();
            }

            @Override
            public boolean isRunning() {
                return informer.isRunning();
            }

            @Override
            public Status getStatus() {
                return hasSynced() && isWatching() && isRunning() ? Status.HEALTHY : Status.UNHEALTHY;
            }

            @Override
            public String getTargetNamespace() {
                return null;
            }
        });
    }
}
