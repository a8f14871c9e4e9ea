package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The garbage collector's background cascading deletion (pkg/controller/garbagecollector/garbagecollector.go
 * attemptToDeleteItem; docs: concepts/architecture/garbage-collection): a namespaced object whose ownerReferences all
 * point at owners that no longer exist (by uid: an owner deleted and re-created under the same name is a different
 * owner) is deleted, and the deletion cascades down the next time round (Deployment → ReplicaSet → Pod). Pods are
 * deleted the ordinary way, so they terminate gracefully under {@link WorkloadControllers}. Owners are looked up
 * whatever their kind, custom resources included; dependents are looked for among the kinds given.
 */
public final class GarbageCollector implements AutoCloseable {

    /** The kinds the operator and the sample application create, and the Pods and ReplicaSets under them. */
    public static final List<Class<? extends HasMetadata>> DEFAULT_DEPENDENT_KINDS = List.of(Deployment.class,
            ReplicaSet.class, StatefulSet.class, Pod.class, Service.class, ConfigMap.class, Secret.class, Ingress.class,
            PodDisruptionBudget.class);
    static final long PASS_MILLIS = 100;

    private final KubernetesClient client;
    private final List<Class<? extends HasMetadata>> dependentKinds;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "garbage-collector");
        thread.setDaemon(true);
        return thread;
    });

    public GarbageCollector(KubernetesClient client) {
        this(client, DEFAULT_DEPENDENT_KINDS);
    }

    public GarbageCollector(KubernetesClient client, List<Class<? extends HasMetadata>> dependentKinds) {
        this.client = client;
        this.dependentKinds = List.copyOf(dependentKinds);
    }

    public GarbageCollector start() {
        worker.scheduleWithFixedDelay(this::collectQuietly, 0, PASS_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void collectQuietly() {
        try {
            collect();
        } catch (KubernetesClientException e) {
            // the API server is shutting down, or an object vanished mid-pass; the next pass starts over
        }
    }

    /** One pass: deletes every dependent whose owners are all gone; returns what it deleted ("Kind ns/name"). */
    public synchronized List<String> collect() {
        Map<OwnerKey, Boolean> ownerExists = new HashMap<>();
        List<String> deleted = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : dependentKinds) {
            for (HasMetadata dependent : client.resources(kind).inAnyNamespace().list().getItems()) {
                List<OwnerReference> owners = dependent.getMetadata().getOwnerReferences();
                if (owners == null || owners.isEmpty() || dependent.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                String namespace = dependent.getMetadata().getNamespace();
                boolean orphaned = owners.stream().noneMatch(owner -> ownerExists
                        .computeIfAbsent(new OwnerKey(namespace, owner.getApiVersion(), owner.getKind(), owner.getName(),
                                owner.getUid()), this::exists));
                if (orphaned) {
                    client.resource(dependent).delete();
                    deleted.add(dependent.getKind() + " " + namespace + "/" + dependent.getMetadata().getName());
                }
            }
        }
        return deleted;
    }

    private record OwnerKey(String namespace, String apiVersion, String kind, String name, String uid) {
    }

    private boolean exists(OwnerKey owner) {
        String[] groupVersion = owner.apiVersion().contains("/") ? owner.apiVersion().split("/", 2)
                : new String[] {"", owner.apiVersion()};
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(groupVersion[0])
                .withVersion(groupVersion[1]).withKind(owner.kind())
                .withPlural(Pluralize.toPlural(owner.kind().toLowerCase(java.util.Locale.ROOT))).withNamespaced(true)
                .build();
        try {
            GenericKubernetesResource found = client.genericKubernetesResources(context).inNamespace(owner.namespace())
                    .withName(owner.name()).get();
            return Optional.ofNullable(found).map(f -> Objects.equals(f.getMetadata().getUid(), owner.uid()))
                    .orElse(false);
        } catch (KubernetesClientException e) {
            // an owner kind the server does not know cannot exist; keep the dependent only on other errors
            return e.getCode() != 404;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
