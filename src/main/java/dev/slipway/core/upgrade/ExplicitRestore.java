package dev.slipway.core.upgrade;

import dev.slipway.core.upgrade.UpgradeSequence.FailureHandling;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * A restore an administrator asks for ({@code spec.actions.restore}) after traffic returned to the application: whether
 * to accept the request, its steps, and what a failure means. Automatic restore happens only while the maintenance page
 * has stayed up since the backup; once visitors could write again, a restore replaces their writes, so the request must
 * echo the time they began ({@code writesSince}) and name the latest verified backup.
 *
 * <pre>
 * PageUp → SwapTraffic → Quiesce → Restore → RollImages (the backup's version) → Resume → RestoreTraffic → Record
 * A failure before Restore swapped the databases: RollBack → Record (RolledBack), nothing was replaced.
 * A failure after: held behind the page (Failed) until an administrator retries or abandons.
 * </pre>
 */
public final class ExplicitRestore {

    private static final List<UpgradeStep> STEPS = List.of(UpgradeStep.PageUp, UpgradeStep.SwapTraffic,
            UpgradeStep.Quiesce, UpgradeStep.Restore, UpgradeStep.RollImages, UpgradeStep.Resume,
            UpgradeStep.RestoreTraffic, UpgradeStep.Record);

    /** The latest backup an upgrade took and verified, as its history records it. */
    public record LatestBackup(String database, String writesSince, boolean restored) {
    }

    /** Why a request is not acted on: a condition reason and a message naming the field. */
    public record Refusal(String reason, String message) {
    }

    private ExplicitRestore() {
    }

    public static Position first() {
        return new Position(STEPS.get(0), 0);
    }

    /** The position after {@code current} completed; null after Record. */
    public static Position next(Position current) {
        if (current.step() == UpgradeStep.RollBack) {
            return new Position(UpgradeStep.Record, 0);
        }
        int index = STEPS.indexOf(current.step());
        if (index < 0) {
            throw new IllegalArgumentException("an explicit restore has no step " + current.step());
        }
        return index == STEPS.size() - 1 ? null : new Position(STEPS.get(index + 1), 0);
    }

    /** Every position of a restore that does not fail, in order. */
    public static List<Position> positions() {
        return STEPS.stream().map(step -> new Position(step, 0)).toList();
    }

    /**
     * Before the swap only the page and the replicas changed: roll them back. After it, the database no longer matches
     * the images that ran before, so the application stays behind the page.
     *
     * @param swapped whether the backup has taken the database's place
     */
    public static FailureHandling onFailure(UpgradeStep failed, boolean swapped) {
        return swapped || failed == UpgradeStep.Restore || failed == UpgradeStep.RollBack
                || failed == UpgradeStep.Record ? FailureHandling.HoldBehindPage : FailureHandling.RollBack;
    }

    /**
     * Why {@code spec.actions.restore} is refused, if it is.
     *
     * @param backup the requested backup's name
     * @param writesSince the time the request echoes
     * @param latest the latest verified backup, empty when no upgrade took one
     * @param upgrade the target of an upgrade that runs or is held behind the page, null when none does
     */
    public static Optional<Refusal> refusal(String backup, String writesSince, Optional<LatestBackup> latest,
            String upgrade) {
        if (backup == null || backup.isBlank()) {
            return refuse("BackupNotNamed", "spec.actions.restore.backup is required: the name of the latest verified "
                    + "backup (status.history[].backup.database)");
        }
        if (writesSince == null || writesSince.isBlank()) {
            return refuse("WritesSinceNotEchoed", "spec.actions.restore.writesSince is required: echo the backup's "
                    + "writesSince from status to confirm that the writes made since then are replaced");
        }
        if (upgrade != null) {
            return refuse("UpgradeInProgress", "spec.actions.restore: the upgrade to " + upgrade + " has not ended; "
                    + "let it finish, or retry or abandon it first");
        }
        if (latest.isEmpty()) {
            return refuse("NoBackup", "spec.actions.restore.backup is " + backup + " but no upgrade took a verified "
                    + "backup (status.history[].backup)");
        }
        LatestBackup found = latest.get();
        if (!backup.equals(found.database())) {
            return refuse("NotLatestBackup", "spec.actions.restore.backup is " + backup + " but the latest verified "
                    + "backup is " + found.database() + ": only the latest is restored");
        }
        if (found.restored()) {
            return refuse("BackupAlreadyRestored", "spec.actions.restore.backup " + backup + " was restored already; "
                    + "it is the database now");
        }
        if (found.writesSince() == null) {
            return refuse("WritesSinceUnknown", "spec.actions.restore.backup " + backup + " has no writesSince in "
                    + "status: the return of traffic after it was not recorded, so the writes a restore replaces are "
                    + "unknown");
        }
        if (!sameInstant(writesSince, found.writesSince())) {
            return refuse("WritesSinceMismatch", "spec.actions.restore.writesSince is " + writesSince + " but backup "
                    + backup + " shows writesSince " + found.writesSince() + ": echo that time to confirm that the "
                    + "writes made since then are replaced");
        }
        return Optional.empty();
    }

    /** The same moment, however many fraction digits each spells; text that is no time matches nothing. */
    private static boolean sameInstant(String echoed, String shown) {
        try {
            return Instant.parse(echoed.trim()).equals(Instant.parse(shown));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Optional<Refusal> refuse(String reason, String message) {
        return Optional.of(new Refusal(reason, message));
    }
}
