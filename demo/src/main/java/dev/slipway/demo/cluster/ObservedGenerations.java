package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a controller notices a workload's new {@code metadata.generation}: after the configured delay. Until then the
 * controller leaves it alone, so {@code status.observedGeneration} lags the spec the way it does on a busy cluster
 * (the controllers set it only when they process the object: pkg/controller/deployment/sync.go calculateStatus,
 * pkg/controller/statefulset/stateful_set_control.go updateStatefulSet).
 */
final class ObservedGenerations {

    private record Seen(long generation, Instant at) {
    }

    private final WorkloadControllers emulation;
    private final Map<String, Seen> seen = new HashMap<>();

    ObservedGenerations(WorkloadControllers emulation) {
        this.emulation = emulation;
    }

    boolean noticed(HasMetadata workload, Long observedGeneration, Instant now) {
        Long generation = workload.getMetadata().getGeneration();
        if (generation == null || emulation.observedGenerationDelay().isZero()
                || observedGeneration != null && observedGeneration >= generation) {
            return true;
        }
        Seen first = seen.compute(workload.getMetadata().getUid(),
                (uid, before) -> before != null && before.generation() == generation ? before : new Seen(generation, now));
        return !now.isBefore(first.at().plus(emulation.observedGenerationDelay()));
    }

    void forgetAllBut(List<? extends HasMetadata> present) {
        Set<String> uids = present.stream().map(object -> object.getMetadata().getUid()).collect(Collectors.toSet());
        seen.keySet().retainAll(uids);
    }
}
