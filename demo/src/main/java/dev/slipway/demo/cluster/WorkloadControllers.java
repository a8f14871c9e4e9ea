package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The workload controllers and the kubelet of a cluster, for an API server that has none (the fabric8 CRUD server of
 * the demo and the tests): Deployments roll out through ReplicaSets and Pods, StatefulSets create and replace their
 * Pods by ordinal, Pods start, become Ready after a delay and terminate over a grace period. Each behaviour follows
 * the Kubernetes controller named at it.
 *
 * <p>Graceful deletion: the CRUD server deletes an object at once unless it has finalizers, so every Pod created here
 * carries {@link #POD_FINALIZER}. Deleting such a Pod (by anyone) only marks it terminating ({@code deletionTimestamp},
 * and here {@code deletionGracePeriodSeconds}); when its grace period is over the kubelet removes the finalizer and
 * the Pod is gone, as kube-apiserver's graceful deletion and the kubelet do together.
 *
 * <p>One worker thread re-reads the cluster every {@value #PASS_MILLIS} ms and moves every object one step;
 * configuration may change while it runs.
 */
public final class WorkloadControllers implements AutoCloseable {

    /** The finalizer that stands in for the kubelet's part of graceful Pod deletion. */
    public static final String POD_FINALIZER = "slipway.dev/simulated-kubelet";
    static final long PASS_MILLIS = 50;

    private final KubernetesClient client;
    private final Clock clock;
    private final Kubelet kubelet;
    private final DeploymentController deployments;
    private final StatefulSetController statefulSets;
    private final Set<String> crashLoopingImages = ConcurrentHashMap.newKeySet();
    private final Set<String> crashLoopingWorkloads = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Duration> readyDelayByImage = new ConcurrentHashMap<>();
    private final List<PodHook> podHooks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "workload-controllers");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Duration gracePeriod;
    private volatile Duration readyDelay = Duration.ZERO;
    private volatile Duration observedGenerationDelay = Duration.ZERO;
    private volatile RuntimeException lastFailure;

    public WorkloadControllers(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        Random names = new Random(1);
        this.kubelet = new Kubelet(this);
        this.deployments = new DeploymentController(this, names);
        this.statefulSets = new StatefulSetController(this);
    }

    /**
     * The termination grace period of every Pod, instead of the Pod's own {@code terminationGracePeriodSeconds}
     * (default 30 s, as the apiserver defaults it); tests use 0-2 s.
     */
    public WorkloadControllers gracePeriod(Duration gracePeriod) {
        this.gracePeriod = gracePeriod;
        return this;
    }

    /** How long a started Pod takes to become Ready (its readiness probe passing); default at once. */
    public WorkloadControllers readyDelay(Duration readyDelay) {
        this.readyDelay = readyDelay;
        return this;
    }

    /** How long Pods running {@code image} take to become Ready, instead of {@link #readyDelay(Duration)}. */
    public WorkloadControllers readyDelay(String image, Duration readyDelay) {
        readyDelayByImage.put(image, readyDelay);
        return this;
    }

    /**
     * How long the controllers take to notice a new {@code metadata.generation}: until then they leave the workload
     * (and its {@code status.observedGeneration}) as it was, like a busy kube-controller-manager.
     */
    public WorkloadControllers observedGenerationDelay(Duration delay) {
        this.observedGenerationDelay = delay;
        return this;
    }

    /** Pods running this image start but crash-loop: never Ready, and their application never runs. */
    public WorkloadControllers crashLoop(String image) {
        crashLoopingImages.add(image);
        return this;
    }

    /**
     * Pods of the Deployment or StatefulSet {@code namespace/name} crash-loop, whatever their image (what
     * SimulatedKubelet's neverReady did for a whole workload).
     */
    public WorkloadControllers crashLoopWorkload(String namespace, String name) {
        crashLoopingWorkloads.add(namespace + "/" + name);
        return this;
    }

    /** Undoes {@link #crashLoop}: a fixed image behind the same name. */
    public WorkloadControllers stopCrashLooping(String image) {
        crashLoopingImages.remove(image);
        return this;
    }

    /** Something that runs inside every Pod, such as {@link ApplicationSessions}. */
    public WorkloadControllers podHook(PodHook hook) {
        podHooks.add(hook);
        return this;
    }

    public WorkloadControllers start() {
        worker.scheduleWithFixedDelay(this::pass, 0, PASS_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The last error a pass met (the next pass starts over from the API server), for a test's diagnostics. */
    public java.util.Optional<RuntimeException> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }

    private void pass() {
        try {
            Instant now = clock.instant();
            List<Pod> pods = new ArrayList<>(client.pods().inAnyNamespace().list().getItems());
            kubelet.sync(pods, now);
            List<ReplicaSet> replicaSets = new ArrayList<>(client.apps().replicaSets().inAnyNamespace().list().getItems());
            List<Deployment> allDeployments = client.apps().deployments().inAnyNamespace().list().getItems();
            deployments.sync(allDeployments, replicaSets, pods, now);
            List<StatefulSet> allStatefulSets = client.apps().statefulSets().inAnyNamespace().list().getItems();
            statefulSets.sync(allStatefulSets, pods, now);
        } catch (RuntimeException e) {
            // Conflicts and vanished objects are normal between passes; the next pass reads everything afresh.
            lastFailure = e;
        }
    }

    KubernetesClient client() {
        return client;
    }

    /** The longest ready delay among the Pod's containers' images. */
    Duration readyDelayOf(Pod pod) {
        Duration delay = readyDelay;
        for (var container : pod.getSpec().getContainers()) {
            Duration own = readyDelayByImage.get(container.getImage());
            if (own != null && own.compareTo(delay) > 0) {
                delay = own;
            }
        }
        return delay;
    }

    Duration observedGenerationDelay() {
        return observedGenerationDelay;
    }

    /** The grace period of a terminating Pod: the configured one, or the Pod's own, or the apiserver default. */
    Duration gracePeriodOf(Pod pod) {
        Duration configured = gracePeriod;
        if (configured != null) {
            return configured;
        }
        Long seconds = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(seconds == null ? ApiServerDefaults.DEFAULT_TERMINATION_GRACE_SECONDS : seconds);
    }

    boolean crashLoops(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getContainers().stream()
                .anyMatch(container -> crashLoopingImages.contains(container.getImage()))
                || Pods.workloadName(pod).map(name -> crashLoopingWorkloads.contains(
                        pod.getMetadata().getNamespace() + "/" + name)).orElse(false);
    }

    List<PodHook> podHooks() {
        return podHooks;
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
