package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.core.window.EffectiveWindow;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.window.WindowEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.semver4j.Semver;

/** What the backup's time preflight ({@code BackupTimePreflight}) reads from the resource: past migrations, the window. */
final class BackupTimes {

    private BackupTimes() {
    }

    /**
     * The migrations of this upgrade, estimated as the mean Migrate step of past successful upgrades times the hops that
     * migrate; empty when no past migration is recorded.
     */
    static Optional<Duration> migrationEstimate(ManagedUpgradeStatus status, UpgradeProgress progress) {
        List<HistoryEntry> history = status == null || status.getHistory() == null ? List.of() : status.getHistory();
        OptionalDouble meanMillis = history.stream()
                .filter(entry -> entry.result() == UpgradeResult.Succeeded && entry.steps() != null)
                .flatMap(entry -> entry.steps().stream())
                .filter(step -> step.step() == UpgradeStep.Migrate && step.startedAt() != null
                        && step.finishedAt() != null)
                .mapToLong(step -> Duration.between(Instant.parse(step.startedAt()), Instant.parse(step.finishedAt()))
                        .toMillis())
                .average();
        long migrating = progress.getHops().stream().filter(hop -> hop.schemaVersion() != null).count();
        return meanMillis.isEmpty() ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.round(meanMillis.getAsDouble() * migrating)));
    }

    /**
     * The end of the maintenance window the upgrade started in; empty when no window binds it: none is configured, or
     * it started outside them by an override (spec.actions.startNow).
     */
    static Optional<Instant> windowEnd(UpgradeProgress progress, UpgradeInputs in, Instant now) {
        Semver from = Semver.parse(progress.getFrom());
        Semver to = Semver.parse(progress.getTo());
        if (progress.getOverride() != null || from == null || to == null) {
            return Optional.empty();
        }
        EffectiveWindow window = new WindowEngine(in.spec().maintenance().schedule())
                .evaluate(now, UpgradeScope.between(from, to)).currentWindow();
        return Optional.ofNullable(window).map(EffectiveWindow::end);
    }
}
