package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.PlanStepStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.http.page.PageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The upgrade as visitors see it: every step of the plan with its state, built from the checkpoint alone. The ETA
 * comes only from how long the same steps took in past upgrades; without that history there is none.
 */
final class UpgradeTimeline {

    private UpgradeTimeline() {
    }

    /** Every position of the plan, in order (the roll-back path is not part of the plan). */
    static List<Position> positions(int hops) {
        List<Position> positions = new ArrayList<>();
        for (Position p = UpgradeSequence.first(); p != null; p = UpgradeSequence.next(p, hops)) {
            positions.add(p);
        }
        return positions;
    }

    /** The key a step is recorded under in status: its name, with the hop's version for per-hop steps. */
    static String key(Position position, List<PlanStepStatus> hops) {
        return switch (position.step()) {
            case Migrate, RollImages, StartStop, QuiesceStop -> position.step() + " " + hops.get(position.hop()).getVersion();
            default -> position.step().name();
        };
    }

    static String label(Position position, List<PlanStepStatus> hops) {
        PlanStepStatus hop = hops.get(Math.min(position.hop(), hops.size() - 1));
        String version = position.step() == UpgradeStep.Resume ? hops.get(hops.size() - 1).getVersion() : hop.getVersion();
        return UpgradeSequence.describe(position, hops.size(), version, hop.getSchemaVersion());
    }

    static PageStatus page(String product, UpgradeProgress progress, List<HistoryEntry> history, Instant now) {
        List<PlanStepStatus> hops = progress.getHops();
        Map<String, StepRecord> done = progress.getSteps() == null ? Map.of()
                : progress.getSteps().stream().collect(Collectors.toMap(StepRecord::getName, s -> s, (a, b) -> b));
        boolean failed = progress.getFailedStep() != null;
        List<PageStatus.Step> steps = new ArrayList<>();
        for (Position position : positions(hops.size())) {
            String key = key(position, hops);
            StepRecord record = done.get(key);
            PageStatus.StepState state;
            if (record != null && record.getFinishedAt() != null) {
                state = PageStatus.StepState.DONE;
            } else if (key.equals(progress.getStep()) || key.equals(progress.getFailedStep())) {
                state = failed ? PageStatus.StepState.FAILED : PageStatus.StepState.RUNNING;
            } else {
                state = PageStatus.StepState.WAITING;
            }
            steps.add(new PageStatus.Step(key, label(position, hops), state,
                    record == null ? null : instant(record.getStartedAt()),
                    record == null ? null : instant(record.getFinishedAt())));
        }
        boolean completed = progress.getStep() == null && progress.getFailedStep() == null;
        PageStatus.Phase phase = failed ? PageStatus.Phase.FAILED
                : completed ? PageStatus.Phase.COMPLETED : PageStatus.Phase.IN_PROGRESS;
        String message = failed ? "The upgrade needs attention from an administrator, who has been notified. "
                + "The application stays in maintenance until it is resolved." : null;
        Long eta = failed || completed ? null : eta(steps, history, now);
        return new PageStatus(product, progress.getFrom(), progress.getTo(), phase, instant(progress.getStartedAt()),
                now, steps, eta, message);
    }

    /** Seconds left, from the mean past duration of each step still to run; null when any step has no history. */
    private static Long eta(List<PageStatus.Step> steps, List<HistoryEntry> history, Instant now) {
        if (history == null || history.isEmpty()) {
            return null;
        }
        double seconds = 0;
        for (PageStatus.Step step : steps) {
            if (step.state() == PageStatus.StepState.DONE) {
                continue;
            }
            String name = step.name().split(" ")[0];
            OptionalDouble mean = history.stream().filter(h -> "Succeeded".equals(h.getResult()) && h.getSteps() != null)
                    .flatMap(h -> h.getSteps().stream())
                    .filter(s -> s.getName().split(" ")[0].equals(name) && s.getStartedAt() != null && s.getFinishedAt() != null)
                    .mapToLong(s -> Duration.between(instant(s.getStartedAt()), instant(s.getFinishedAt())).toSeconds())
                    .average();
            if (mean.isEmpty()) {
                return null;
            }
            double remaining = mean.getAsDouble();
            if (step.state() == PageStatus.StepState.RUNNING && step.startedAt() != null) {
                remaining = Math.max(0, remaining - Duration.between(step.startedAt(), now).toSeconds());
            }
            seconds += remaining;
        }
        return Math.round(seconds);
    }

    static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
