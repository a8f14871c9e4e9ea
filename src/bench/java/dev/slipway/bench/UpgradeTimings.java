package dev.slipway.bench;

import dev.slipway.api.v1alpha1.status.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One upgrade's maintenance time taken apart: from the step that sends visitors to the maintenance page until the
 * step after the one that sends them back, what was migration SQL, what was waiting for pods, and the rest, which is
 * the operator's own cost. Each step's share runs from its start to the next step's start (a step's recorded end is
 * the start of its last pass, not the end of its work), so the shares add up to the whole.
 */
record UpgradeTimings(Duration maintenance, Duration sql, Duration waits, Map<Share, Duration> overheadByShare) {

    /** Where the operator's own time went. */
    enum Share {
        /** Migrate steps minus their SQL: Flyway's validation and bookkeeping, connecting. */
        MIGRATE,
        /** Steps that wait for pods, minus the waiting: noticing that the pods are ready, and scaling. */
        WAITING_STEPS,
        /** Sending traffic to the page and back, setting images, and the status writes between steps. */
        OTHER_STEPS
    }

    static final String FIRST_STEP = "SwapTraffic";
    static final String END_STEP = "Record";

    /**
     * @param steps the history entry's steps, in order
     * @param sqlOfStep the migration SQL time spent in a step (by its name), zero for steps that migrate nothing
     * @param waitingBetween how long the workloads were not ready between two instants
     */
    static UpgradeTimings of(List<StepRecord> steps, Map<String, Duration> sqlOfStep,
            BiFunction<Instant, Instant, Duration> waitingBetween) {
        int first = indexOf(steps, FIRST_STEP);
        int end = indexOf(steps, END_STEP);
        Map<Share, Duration> overhead = new EnumMap<>(Share.class);
        Duration sql = Duration.ZERO;
        Duration waits = Duration.ZERO;
        for (int i = first; i < end; i++) {
            Instant start = Instant.parse(steps.get(i).startedAt());
            Instant next = Instant.parse(steps.get(i + 1).startedAt());
            String name = steps.get(i).name();
            Duration stepSql = sqlOfStep.getOrDefault(name, Duration.ZERO);
            Duration stepWaits = waitingBetween.apply(start, next);
            sql = sql.plus(stepSql);
            waits = waits.plus(stepWaits);
            overhead.merge(shareOf(name), Duration.between(start, next).minus(stepSql).minus(stepWaits), Duration::plus);
        }
        return new UpgradeTimings(Duration.between(Instant.parse(steps.get(first).startedAt()),
                Instant.parse(steps.get(end).startedAt())), sql, waits, overhead);
    }

    Duration baseline() {
        return sql.plus(waits);
    }

    Duration overhead() {
        return maintenance.minus(baseline());
    }

    private static Share shareOf(String stepName) {
        return switch (stepName.split(" ")[0]) {
            case "Migrate" -> Share.MIGRATE;
            case "Quiesce", "StartStop", "QuiesceStop", "Resume" -> Share.WAITING_STEPS;
            default -> Share.OTHER_STEPS;
        };
    }

    private static int indexOf(List<StepRecord> steps, String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("the upgrade's history has no step " + name + ": "
                + steps.stream().map(StepRecord::name).toList());
    }
}
