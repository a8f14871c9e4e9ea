package dev.slipway.core.upgrade;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;

/**
 * The order of steps and what a failure means, as pure decisions (the executor in the Kubernetes adapter does the
 * work). See {@link UpgradeStep} for the algorithm.
 */
public final class UpgradeSequence {

    /** A step of a given hop (the hop index is meaningful for Migrate, RollImages, StartStop and QuiesceStop). */
    public record Position(UpgradeStep step, int hop) {

        /** The hop a record of this step names: the hop for per-hop steps, none for the others. */
        public Integer recordedHop() {
            return step.perHop() ? hop : null;
        }
    }

    /** What happens to an upgrade whose step failed. */
    public enum FailureHandling {
        /** Nothing irreversible happened: restore images, replicas and traffic automatically. */
        RollBack,
        /** The database moved on: keep the maintenance page up and wait for an administrator. */
        HoldBehindPage,
        /** The database moved on, but its backup may take its place: restore it, then roll back. */
        Restore
    }

    private UpgradeSequence() {
    }

    public static Position first() {
        return new Position(UpgradeStep.Preflight, 0);
    }

    /**
     * The position after {@code current} completed, for a plan of {@code hops} hops; null after Record.
     *
     * @param backup whether the plan backs the database up before its first migration
     */
    public static Position next(Position current, int hops, boolean backup) {
        int hop = current.hop();
        boolean lastHop = hop >= hops - 1;
        return switch (current.step()) {
            case Preflight -> new Position(UpgradeStep.PageUp, 0);
            case PageUp -> new Position(UpgradeStep.SwapTraffic, 0);
            case SwapTraffic -> new Position(UpgradeStep.Quiesce, 0);
            case Quiesce -> backup ? new Position(UpgradeStep.Backup, 0) : new Position(UpgradeStep.Migrate, 0);
            case Backup -> new Position(UpgradeStep.Migrate, 0);
            case Migrate -> new Position(UpgradeStep.RollImages, hop);
            case RollImages -> lastHop ? new Position(UpgradeStep.Resume, hop) : new Position(UpgradeStep.StartStop, hop);
            case StartStop -> new Position(UpgradeStep.QuiesceStop, hop);
            case QuiesceStop -> new Position(UpgradeStep.Migrate, hop + 1);
            case Resume -> new Position(UpgradeStep.RestoreTraffic, hop);
            case RestoreTraffic, RollBack -> new Position(UpgradeStep.Record, hop);
            case Restore -> new Position(UpgradeStep.RollBack, hop);
            case Record -> null;
        };
    }

    /**
     * A failed step rolls back only while the database is untouched and the original images still match it;
     * once a hop's migrations committed, going back would run old code against a newer schema.
     *
     * @param committed whether any hop's migrations committed
     */
    public static FailureHandling onFailure(UpgradeStep failed, boolean committed) {
        if (committed) {
            return FailureHandling.HoldBehindPage;
        }
        return switch (failed) {
            // Traffic restore and recording come after the new version runs: nothing left to undo there.
            case RestoreTraffic, Record -> FailureHandling.HoldBehindPage;
            default -> FailureHandling.RollBack;
        };
    }

    /**
     * Like {@link #onFailure(UpgradeStep, boolean)}, with a verified backup to restore when {@code restorable}: only a
     * failed migration restores it, since then the application is quiesced (nothing holds a session on the database)
     * and the maintenance page has stayed up since the backup, so no visitor's write can be lost.
     */
    public static FailureHandling onFailure(UpgradeStep failed, boolean committed, boolean restorable) {
        FailureHandling handling = onFailure(failed, committed);
        return handling == FailureHandling.HoldBehindPage && committed && restorable && failed == UpgradeStep.Migrate
                ? FailureHandling.Restore : handling;
    }

    /**
     * Whether a database found ahead of the running release was migrated by an earlier run of this very plan whose
     * checkpoint was lost: it stands exactly at the schema of one of the hops. Then the upgrade goes on from there
     * (the already-applied migrations are no-ops) and counts as committed, so a failure holds behind the page instead
     * of starting the old release against the newer schema. A database at any other version is unexplained and stops
     * the upgrade.
     *
     * @param sameVersion Flyway's notion of equal versions ("1.10" equals "1.10.0")
     * @return the index of the first hop at the database's schema, or empty when the database is at none
     */
    public static OptionalInt hopMigratedByAnEarlierRun(String databaseVersion, List<String> hopSchemaVersions,
            BiPredicate<String, String> sameVersion) {
        return databaseVersion == null ? OptionalInt.empty() : IntStream.range(0, hopSchemaVersions.size())
                .filter(hop -> hopSchemaVersions.get(hop) != null
                        && sameVersion.test(hopSchemaVersions.get(hop), databaseVersion))
                .findFirst();
    }

    /** Steps between which an upgrade may pause (never inside one). */
    public static boolean isPausePoint(UpgradeStep next) {
        return next != UpgradeStep.Record && next != UpgradeStep.RollBack && next != UpgradeStep.Restore;
    }

    /** Human words for a step, used on the page and in the Progressing condition. */
    public static String describe(Position position, int hops, String hopVersion, String schemaVersion) {
        String ofHops = hops > 1 ? " (hop " + (position.hop() + 1) + " of " + hops + ")" : "";
        return switch (position.step()) {
            case Preflight -> "Checking releases, database and workloads";
            case PageUp -> "Starting the maintenance page";
            case SwapTraffic -> "Sending visitors to the maintenance page";
            case Quiesce -> "Stopping the application";
            case Backup -> "Backing up the database";
            case Migrate -> "Migrating the database to " + hopVersion
                    + (schemaVersion == null ? "" : " (schema " + schemaVersion + ")") + ofHops;
            case RollImages -> "Installing " + hopVersion + ofHops;
            case StartStop -> "Starting " + hopVersion + " before the next hop" + ofHops;
            case QuiesceStop -> "Stopping " + hopVersion + " before the next hop" + ofHops;
            case Resume -> "Starting " + hopVersion;
            case RestoreTraffic -> "Sending visitors back to the application";
            case Record -> "Recording the upgrade";
            case RollBack -> "Restoring the previous version";
            case Restore -> "Restoring the database from its backup";
        };
    }
}
