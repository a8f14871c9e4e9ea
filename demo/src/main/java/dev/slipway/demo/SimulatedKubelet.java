package dev.slipway.demo;

import dev.slipway.demo.cluster.PodHook;
import dev.slipway.demo.cluster.WorkloadControllers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Plays the part of the kubelet and the workload controllers on an API server that has none (the fabric8 CRUD
 * server of the demo and the tests), by running {@link WorkloadControllers}: Deployments roll out through
 * ReplicaSets and Pods, Pods become Ready after the ready delay and, when scaled away, terminate over a grace period
 * as long as that delay (the way pods take a moment to start or stop: long enough in the demo to watch the
 * maintenance page and the quiesce wait for terminating Pods). Workloads named in {@link #neverReady} crash-loop,
 * to rehearse pods that never start.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private final WorkloadControllers controllers;

    /** A kubelet whose Pods start and stop at once. */
    public SimulatedKubelet(KubernetesClient client) {
        this(client, Duration.ZERO);
    }

    public SimulatedKubelet(KubernetesClient client, Duration readyDelay) {
        this(client, readyDelay, Clock.systemUTC());
    }

    public SimulatedKubelet(KubernetesClient client, Duration readyDelay, Clock clock) {
        this.controllers = new WorkloadControllers(client, clock).readyDelay(readyDelay).gracePeriod(readyDelay);
    }

    /** Starts acting on every namespace. */
    public SimulatedKubelet start() {
        controllers.start();
        return this;
    }

    /** Something that runs inside every Pod, such as the shop's database sessions. */
    public SimulatedKubelet podHook(PodHook hook) {
        controllers.podHook(hook);
        return this;
    }

    /** Keeps the named workload from ever becoming Ready: its Pods crash-loop. */
    public void neverReady(String namespace, String name) {
        controllers.crashLoopWorkload(namespace, name);
    }

    @Override
    public void close() {
        controllers.close();
    }
}
