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
        Restore,
        /**
         * A rolling hop failed where no page is up and nothing is left to undo (expand or contract rolled back by
         * PostgreSQL, or a rollback the schema floor forbids): record Failed and wait for an administrator.
         */
        RecordFailed
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
        return next(current, java.util.Collections.nCopies(hops, HopMode.Page), backup);
    }

    /**
     * The position after {@code current} for a path whose hops run as {@code modes} say: the page goes up before
     * the first of consecutive {@link HopMode#Page} hops and comes down after the last; a {@link HopMode#Rolling}
     * hop runs Expand → RollOut → Soak → Contract with the application serving. Steps of the page phase carry the
     * hop they serve.
     *
     * @param backup whether the plan backs the database up before its first page-phase migration
     */
    public static Position next(Position current, List<HopMode> modes, boolean backup) {
        int hop = current.hop();
        boolean lastHop = hop >= modes.size() - 1;
        boolean nextRolling = !lastHop && modes.get(hop + 1) == HopMode.Rolling;
        boolean firstPagePhase = modes.subList(0, Math.min(hop, modes.size())).stream().noneMatch(HopMode::downtime);
        return switch (current.step()) {
            case Preflight -> startOf(0, modes);
            case PageUp -> new Position(UpgradeStep.SwapTraffic, hop);
            case SwapTraffic -> new Position(UpgradeStep.Quiesce, hop);
            case Quiesce -> new Position(backup && firstPagePhase ? UpgradeStep.Backup : UpgradeStep.Migrate, hop);
            case Backup -> new Position(UpgradeStep.Migrate, hop);
            case Migrate -> new Position(UpgradeStep.RollImages, hop);
            case RollImages -> new Position(lastHop || nextRolling ? UpgradeStep.Resume : UpgradeStep.StartStop, hop);
            case StartStop -> new Position(UpgradeStep.QuiesceStop, hop);
            case QuiesceStop -> new Position(UpgradeStep.Migrate, hop + 1);
            case Resume -> new Position(UpgradeStep.RestoreTraffic, hop);
            case RestoreTraffic, Contract -> lastHop ? new Position(UpgradeStep.Record, hop) : startOf(hop + 1, modes);
            case Expand -> new Position(UpgradeStep.RollOut, hop);
            case RollOut -> new Position(UpgradeStep.Soak, hop);
            case Soak -> new Position(UpgradeStep.Contract, hop);
            case RollBack -> new Position(UpgradeStep.Record, hop);
            case Restore -> new Position(UpgradeStep.RollBack, hop);
            case Record -> null;
        };
    }

    private static Position startOf(int hop, List<HopMode> modes) {
        return new Position(modes.get(hop) == HopMode.Rolling ? UpgradeStep.Expand : UpgradeStep.PageUp, hop);
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
     * {@link #onFailure(UpgradeStep, boolean, ImageRollback, boolean)}, where a hold behind the page after a failed
     * migration becomes a restore when {@code restorable} (as {@link #onFailure(UpgradeStep, boolean, boolean)}).
     */
    public static FailureHandling onFailure(UpgradeStep failed, boolean committed, ImageRollback rollback,
            boolean pageUp, boolean restorable) {
        FailureHandling handling = onFailure(failed, committed, rollback, pageUp);
        return handling == FailureHandling.HoldBehindPage && committed && restorable && failed == UpgradeStep.Migrate
                ? FailureHandling.Restore : handling;
    }

    /**
     * {@link #onFailure(UpgradeStep, boolean)} with automatic image rollback: once a schema change committed, a failed
     * rollout or health check (RollOut, Soak, Resume, StartStop) still rolls the images back when
     * {@code rollback} permits it (the schema is compatible and its floor admits the previous version). A failed
     * expand or contract leaves nothing to undo: PostgreSQL rolled the phase back and the version that served before
     * still serves.
     *
     * @param pageUp whether the maintenance page serves at the failure (a page phase), so a hold is behind it
     */
    public static FailureHandling onFailure(UpgradeStep failed, boolean committed, ImageRollback rollback,
            boolean pageUp) {
        FailureHandling hold = pageUp ? FailureHandling.HoldBehindPage : FailureHandling.RecordFailed;
        return switch (failed) {
            case Expand, Contract -> FailureHandling.RecordFailed;
            case RollOut, Soak, Resume, StartStop -> !committed || rollback.permitted() ? FailureHandling.RollBack : hold;
            case Record -> hold;
            default -> committed ? hold : onFailure(failed, false);
        };
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
            case Expand -> "Preparing the database for " + hopVersion + " while the application serves" + ofHops;
            case RollOut -> "Rolling out " + hopVersion + " without downtime" + ofHops;
            case Soak -> "Watching " + hopVersion + " serve before finishing its migrations" + ofHops;
            case Contract -> "Finishing the database migrations of " + hopVersion
                    + (schemaVersion == null ? "" : " (schema " + schemaVersion + ")") + ofHops;
        };
    }
}
