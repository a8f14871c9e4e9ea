package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.kubernetes.workload.Workloads;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wakes an upgrade when a workload it references changes (a replica became Ready, a rollout finished), so
 * waiting steps move on at that moment instead of on a timer. Only resources with an upgrade in progress are woken.
 */
final class WorkloadEvents {

    private WorkloadEvents() {
    }

    static List<EventSource<?, ManagedUpgrade>> sources(EventSourceContext<ManagedUpgrade> context) {
        return List.of(source(Deployment.class, context), source(StatefulSet.class, context));
    }

    /**
     * A component's workload as the informer cache holds it: no API call, but it may lag one watch event behind the
     * API server.
     */
    static Optional<Workloads.WorkloadState> cachedState(Context<ManagedUpgrade> context, String namespace,
            ComponentSpec component) {
        Class<? extends HasMetadata> kind = Workloads.kindClass(component);
        EventSource<? extends HasMetadata, ManagedUpgrade> source = context.eventSourceRetriever()
                .getEventSourceFor(kind, name(kind));
        return ((InformerEventSource<? extends HasMetadata, ManagedUpgrade>) source)
                .get(new ResourceID(component.getWorkload().getName(), namespace))
                .map(workload -> Workloads.stateOf(workload, component));
    }

    private static String name(Class<? extends HasMetadata> kind) {
        return kind.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static <R extends HasMetadata> EventSource<?, ManagedUpgrade> source(Class<R> kind,
            EventSourceContext<ManagedUpgrade> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ManagedUpgrade.class)
                .withName(name(kind))
                .withNamespacesInheritedFromController()
                // only the workloads ManagedUpgrades reference, not every workload of the namespaces (memory at scale)
                .withLabelSelector(Workloads.WATCHED_LABEL + "=true")
                .withSecondaryToPrimaryMapper(workload -> upgradingIn(context, workload.getMetadata().getNamespace()))
                .build(), context);
    }

    private static Set<ResourceID> upgradingIn(EventSourceContext<ManagedUpgrade> context, String namespace) {
        return context.getPrimaryCache().list(namespace)
                .filter(r -> r.getStatus() != null && r.getStatus().getUpgrade() != null
                        && r.getStatus().getUpgrade().getResult() == null)
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
