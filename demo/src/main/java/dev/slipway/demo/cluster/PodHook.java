package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What runs inside a simulated Pod: told when the Pod's containers start and when they have stopped (the Pod finished
 * terminating, or vanished). Called from the emulation's single worker thread, once each per Pod.
 */
public interface PodHook {

    /** The Pod's containers run (phase Running); Pods of an image that crash-loops never get here. */
    void started(Pod pod);

    /** The Pod's containers have stopped: its grace period ended, or the Pod was removed. */
    void stopped(Pod pod);
}
