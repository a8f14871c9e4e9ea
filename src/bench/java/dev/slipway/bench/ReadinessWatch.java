package dev.slipway.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, from the bench's own watch, when each of the named Deployments had a spec its status did not reflect yet
 * (scaled or given a new image, and the simulated kubelet not done with it): the time an upgrade spends waiting for
 * pods. The watch sees the change and the settling with the same latency, so the intervals are the kubelet's delay
 * as the operator experiences it.
 */
final class ReadinessWatch implements AutoCloseable {

    /** A closed interval of wall-clock time. */
    record Interval(Instant start, Instant end) {
        Duration clippedTo(Instant from, Instant to) {
            Instant clippedStart = start.isBefore(from) ? from : start;
            Instant clippedEnd = end.isAfter(to) ? to : end;
            return clippedEnd.isAfter(clippedStart) ? Duration.between(clippedStart, clippedEnd) : Duration.ZERO;
        }
    }

    private final Clock clock;
    private final Set<String> names;
    private final Map<String, Instant> unsettledSince = new ConcurrentHashMap<>();
    private final List<Interval> unsettled = new ArrayList<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Watch watch;

    ReadinessWatch(KubernetesClient client, String namespace, Set<String> names, Clock clock) {
        this.clock = clock;
        this.names = names;
        this.watch = client.apps().deployments().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (action != Action.DELETED) {
                    observe(deployment);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed with the watch, or the API server went away: the bench then fails on its own
            }
        });
    }

    private synchronized void observe(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        if (!names.contains(name)) {
            return;
        }
        seen.add(name);
        Instant now = clock.instant();
        Instant since = unsettledSince.get(name);
        if (!settled(deployment)) {
            unsettledSince.putIfAbsent(name, now);
        } else if (since != null) {
            unsettled.add(new Interval(since, now));
            unsettledSince.remove(name);
        }
    }

    /** Every desired replica runs the current template and is ready; none too many (what the operator waits for). */
    private static boolean settled(Deployment deployment) {
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        DeploymentStatus status = deployment.getStatus();
        return status != null && Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
                && orZero(status.getReplicas()) == desired && orZero(status.getReadyReplicas()) == desired
                && orZero(status.getUpdatedReplicas()) == desired;
    }

    /** How long, between {@code from} and {@code to}, at least one of the Deployments was not settled. */
    synchronized Duration waitingBetween(Instant from, Instant to) {
        Duration total = Duration.ZERO;
        Instant coveredUntil = from;
        for (Interval interval : unsettled.stream().sorted(Comparator.comparing(Interval::start)).toList()) {
            Instant start = interval.start().isBefore(coveredUntil) ? coveredUntil : interval.start();
            total = total.plus(new Interval(start, interval.end()).clippedTo(from, to));
            if (interval.end().isAfter(coveredUntil)) {
                coveredUntil = interval.end();
            }
        }
        return total;
    }

    /** Whether every Deployment exists and has settled (the initial install included). */
    boolean allSettled() {
        return seen.containsAll(names) && unsettledSince.isEmpty();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    @Override
    public void close() {
        watch.close();
    }
}
