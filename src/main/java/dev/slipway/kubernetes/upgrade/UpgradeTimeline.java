package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.page.PageStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.ExplicitRestore;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.HopMode;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.semver4j.Semver;

/**
 * The upgrade as visitors see it: every step of the plan with its state, built from the checkpoint alone. Steps are
 * matched by position (step and hop); their keys ("Migrate 1.2.0") are only for display. The ETA comes only from how
 * long the same steps took in past upgrades; without that history there is none, and the page shows elapsed times.
 */
public final class UpgradeTimeline {

    private UpgradeTimeline() {
    }

    /** Every position of the plan, in order (the roll-back path is not part of the plan). */
    public static List<Position> positions(int hops, boolean backup) {
        return positions(java.util.Collections.nCopies(hops, HopMode.Page), backup);
    }

    /** Every position of a path whose hops run as {@code modes} say (zero-downtime hops without the page). */
    public static List<Position> positions(List<HopMode> modes, boolean backup) {
        List<Position> positions = new ArrayList<>();
        for (Position p = UpgradeSequence.first(); p != null; p = UpgradeSequence.next(p, modes, backup)) {
            positions.add(p);
        }
        return positions;
    }

    /** Every position of the upgrade {@code progress} froze: a first install's steps, or its path's. */
    public static List<Position> positions(UpgradeProgress progress) {
        if (!FirstInstall.isInstall(progress.getFrom())) {
            return positions(modes(progress.getHops()), progress.getBackup() != null);
        }
        List<Position> positions = new ArrayList<>();
        for (Position p = UpgradeSequence.first(); p != null; p = FirstInstall.next(p, progress.getHops().size())) {
            positions.add(p);
        }
        return positions;
    }

    /** How each frozen hop runs. */
    public static List<HopMode> modes(List<HopStatus> hops) {
        return hops.stream().map(HopStatus::mode).toList();
    }

    /** Where the checkpoint stands. */
    static Position position(UpgradeProgress progress) {
        return new Position(progress.getStep(), progress.getHop() == null ? 0 : progress.getHop());
    }

    /** The display key of a step: its name, with the hop's version for per-hop steps. */
    static String key(Position position, List<HopStatus> hops) {
        return position.step().perHop() ? position.step() + " " + hops.get(position.hop()).version()
                : position.step().name();
    }

    public static String label(Position position, List<HopStatus> hops) {
        HopStatus hop = hops.get(Math.min(position.hop(), hops.size() - 1));
        String version = position.step() == UpgradeStep.Resume ? hops.get(hops.size() - 1).version() : hop.version();
        return UpgradeSequence.describe(position, hops.size(), version, hop.schemaVersion());
    }

    /** The version of the last hop whose migrations completed, if any did. */
    public static Optional<String> lastMigratedVersion(UpgradeProgress progress) {
        return progress.getSteps() == null ? Optional.empty() : progress.getSteps().stream()
                .filter(r -> r.step() == UpgradeStep.Migrate && r.finishedAt() != null && r.hop() != null)
                .map(r -> progress.getHops().get(r.hop()).version())
                .reduce((earlier, later) -> later);
    }

    /** Once a hop migrated the database, versions up to that hop are no longer updates the application can take. */
    public static void dropUpdatesTheDatabaseHasPassed(ManagedUpgradeStatus next) {
        lastMigratedVersion(next.getUpgrade()).map(Semver::parse).ifPresent(migrated -> {
            if (next.getAvailableUpdates() != null) {
                next.setAvailableUpdates(next.getAvailableUpdates().stream()
                        .filter(version -> Semver.parse(version) != null && Semver.parse(version).isGreaterThan(migrated))
                        .toList());
            }
        });
    }

    static boolean isOf(StepRecord record, Position position) {
        return record.step() == position.step() && Objects.equals(record.hop(), position.recordedHop());
    }

    /** The record of the step at {@code position}, once it has begun. */
    static Optional<StepRecord> record(UpgradeProgress progress, Position position) {
        return progress.getSteps() == null ? Optional.empty()
                : progress.getSteps().stream().filter(r -> isOf(r, position)).reduce((first, later) -> later);
    }

    static PageStatus page(String product, UpgradeProgress progress, List<HistoryEntry> history, Instant now) {
        List<HopStatus> hops = progress.getHops();
        boolean failed = progress.getFailedStep() != null;
        Position failedAt = failed ? new Position(progress.getFailedStep(),
                progress.getFailedHop() == null ? 0 : progress.getFailedHop()) : null;
        Position current = progress.getStep() == null ? null : position(progress);
        List<Position> plan = Boolean.TRUE.equals(progress.getExplicitRestore()) ? ExplicitRestore.positions()
                : positions(progress);
        List<PageStatus.Step> steps = new ArrayList<>();
        for (Position position : plan) {
            Optional<StepRecord> record = record(progress, position);
            PageStatus.StepState state;
            if (record.isPresent() && record.get().finishedAt() != null) {
                state = PageStatus.StepState.DONE;
            } else if (failedAt != null && samePlace(position, failedAt)) {
                state = PageStatus.StepState.FAILED;
            } else if (!failed && current != null && samePlace(position, current)) {
                state = PageStatus.StepState.RUNNING;
            } else {
                state = PageStatus.StepState.WAITING;
            }
            steps.add(new PageStatus.Step(key(position, hops), label(position, hops), state,
                    record.map(r -> instant(r.startedAt())).orElse(null),
                    record.map(r -> instant(r.finishedAt())).orElse(null)));
        }
        UpgradeResult result = progress.getResult();
        PageStatus.Phase phase;
        String message = null;
        if (result == UpgradeResult.RolledBack || result == UpgradeResult.Abandoned) {
            phase = PageStatus.Phase.RESTORED;
            message = "The upgrade to " + progress.getTo() + " was called off. " + product + " is available again"
                    + (result == UpgradeResult.RolledBack ? " at version " + progress.getFrom() : "") + ".";
        } else if (failed && progress.getStep() != UpgradeStep.RollBack
                && progress.getStep() != UpgradeStep.Restore) {
            phase = PageStatus.Phase.FAILED;
            message = "The upgrade needs attention from an administrator, who can see what went wrong in the cluster."
                    + " The application stays in maintenance until it is resolved.";
        } else if (current == null) {
            phase = PageStatus.Phase.COMPLETED;
        } else {
            phase = PageStatus.Phase.IN_PROGRESS;
        }
        Long eta = phase == PageStatus.Phase.IN_PROGRESS ? eta(plan, steps, history, now) : null;
        return new PageStatus(product, progress.getFrom(), progress.getTo(), phase, instant(progress.getStartedAt()),
                now, steps, eta, message);
    }

    /** The same place in the plan: per-hop steps compare their hops, the others only their step. */
    private static boolean samePlace(Position a, Position b) {
        return a.step() == b.step() && Objects.equals(a.recordedHop(), b.recordedHop());
    }

    /** Seconds left, from the mean past duration of each step still to run; null when any step has no history. */
    private static Long eta(List<Position> plan, List<PageStatus.Step> steps, List<HistoryEntry> history, Instant now) {
        if (history == null || history.isEmpty()) {
            return null;
        }
        double seconds = 0;
        for (int i = 0; i < plan.size(); i++) {
            PageStatus.Step step = steps.get(i);
            if (step.state() == PageStatus.StepState.DONE) {
                continue;
            }
            UpgradeStep kind = plan.get(i).step();
            OptionalDouble mean = history.stream()
                    .filter(h -> h.result() == UpgradeResult.Succeeded && h.steps() != null)
                    .flatMap(h -> h.steps().stream())
                    .filter(s -> s.step() == kind && s.startedAt() != null && s.finishedAt() != null)
                    .mapToLong(s -> Duration.between(instant(s.startedAt()), instant(s.finishedAt())).toSeconds())
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
