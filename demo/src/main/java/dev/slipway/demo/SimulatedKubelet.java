package dev.slipway.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays the part of the kubelet and the workload controllers on an API server that has none (the fabric8 CRUD
 * server of the demo and the tests): whenever a Deployment or StatefulSet's spec differs from its status, the status
 * is set to "all desired replicas updated and Ready". Workloads named in {@link #neverReady} stay unready, to
 * rehearse pods that never start. With a ready delay, each change settles only after that delay (read again then),
 * the way pods take a moment to start or stop: long enough in the demo to watch the maintenance page.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private final KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
    private final Duration readyDelay;
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "simulated-kubelet");
        thread.setDaemon(true);
        return thread;
    });

    /** A kubelet that settles every change at once. */
    public SimulatedKubelet(KubernetesClient client) {
        this(client, Duration.ZERO);
    }

    public SimulatedKubelet(KubernetesClient client, Duration readyDelay) {
        this.client = client;
        this.readyDelay = readyDelay;
    }

    /** Starts watching every namespace. */
    public SimulatedKubelet start() {
        informers.add(client.apps().deployments().inAnyNamespace()
                .inform(handler(this.<Deployment>afterDelay(this::settle))));
        informers.add(client.apps().statefulSets().inAnyNamespace()
                .inform(handler(this.<StatefulSet>afterDelay(this::settle))));
        return this;
    }

    /** Keeps the named workload ("namespace/name") from ever becoming Ready. */
    public void neverReady(String namespace, String name) {
        neverReady.add(namespace + "/" + name);
    }

    /**
     * Settles at once, or after the delay with the workload as it is by then (gone: nothing to do). A spec changed
     * again meanwhile is left to the settling its own change scheduled, so every change takes the whole delay.
     */
    private <T extends HasMetadata> Consumer<T> afterDelay(Consumer<T> settle) {
        if (readyDelay.isZero()) {
            return settle;
        }
        return workload -> delayed.schedule(() -> {
            try {
                T latest = client.resource(workload).get();
                if (latest != null && Objects.equals(latest.getMetadata().getGeneration(),
                        workload.getMetadata().getGeneration())) {
                    settle.accept(latest);
                }
            } catch (KubernetesClientException e) {
                // the API server went away (shutting down); nothing left to settle
            }
        }, readyDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> ResourceEventHandler<T> handler(Consumer<T> settle) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                settle.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                settle.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            }
        };
    }

    private void settle(Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        boolean ready = !neverReady.contains(key(deployment.getMetadata()));
        DeploymentStatus desired = new DeploymentStatusBuilder().withReplicas(replicas)
                .withUpdatedReplicas(replicas).withReadyReplicas(ready ? replicas : 0)
                .withAvailableReplicas(ready ? replicas : 0).withObservedGeneration(deployment.getMetadata().getGeneration())
                .build();
        if (!Objects.equals(deployment.getStatus(), desired)) {
            deployment.setStatus(desired);
            updateStatus(deployment);
        }
    }

    private void settle(StatefulSet set) {
        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        boolean ready = !neverReady.contains(key(set.getMetadata()));
        var desired = new StatefulSetStatusBuilder().withReplicas(replicas).withCurrentReplicas(replicas)
                .withUpdatedReplicas(replicas).withReadyReplicas(ready ? replicas : 0)
                .withAvailableReplicas(ready ? replicas : 0).withObservedGeneration(set.getMetadata().getGeneration())
                .build();
        if (!Objects.equals(set.getStatus(), desired)) {
            set.setStatus(desired);
            updateStatus(set);
        }
    }

    private void updateStatus(HasMetadata workload) {
        try {
            workload.getMetadata().setResourceVersion(null);
            client.resource(workload).updateStatus();
        } catch (KubernetesClientException e) {
            // The workload changed or vanished meanwhile; the informer brings the newer version.
        }
    }

    private static String key(ObjectMeta metadata) {
        return metadata.getNamespace() + "/" + metadata.getName();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        delayed.shutdownNow();
    }
}
