package dev.slipway.core.upgrade;

import dev.slipway.core.upgrade.UpgradeSequence.FailureHandling;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import java.util.List;

/**
 * The first install of an application that never ran, as pure decisions: whether nothing is installed, whether the
 * database may receive it, the order of its steps, what a failure means and how many replicas each component starts
 * with. There is no maintenance page and no quiesce, since nothing served before:
 *
 * <pre>
 * Preflight (the database is empty) → Migrate(0) → … → Migrate(last) → RollImages(last) → Resume(last) → Record
 * A failure before any migration committed: RollBack (images and replicas as they were) → Record (RolledBack).
 * A failure after: Failed, the database left as the committed hops made it, until an admin retries or abandons.
 * </pre>
 *
 * Every hop's bundle is applied in order and the application starts only at the target (see
 * {@code InstallPlanner}). A database that holds anything without a Flyway history is refused, never baselined: its
 * objects belong to someone, and migrating over them would take them for a release's schema.
 */
public final class FirstInstall {

    /** {@code spec.application.installedVersion} and {@code status.upgrade.from} of an application never installed. */
    public static final String NOT_INSTALLED = "none";
    /** How many object names a refusal lists. */
    public static final int NAMES_SHOWN = 5;

    /** What a first install needs to know of the database. */
    public enum Verdict {
        /** Empty: no Flyway history and no object in the managed schemas. */
        Install,
        /** A Flyway history: an application is installed, its version is discovered as usual. */
        Installed,
        /** Objects without a Flyway history, or a history although the admin stated that nothing is installed. */
        Refused
    }

    /** The verdict and its reason, in words for the status condition. */
    public record Assessment(Verdict verdict, String reason) {
    }

    /**
     * What the managed schemas hold.
     *
     * @param historyVersion the Flyway history's current schema version, or null when there is no history table
     * @param objectCount    application objects (tables, views, sequences, functions, types), Flyway's table aside
     * @param objectNames    some of them, schema-qualified, in name order
     */
    public record DatabaseContents(boolean flywayHistory, String historyVersion, int objectCount,
            List<String> objectNames) {

        public DatabaseContents {
            objectNames = List.copyOf(objectNames);
        }

        public static DatabaseContents empty() {
            return new DatabaseContents(false, null, 0, List.of());
        }
    }

    private FirstInstall() {
    }

    /** Whether {@code status.upgrade.from} marks a first install. */
    public static boolean isInstall(String from) {
        return NOT_INSTALLED.equals(from);
    }

    /**
     * Whether discovery leaves open that nothing is installed, so that the database decides: the components run a
     * release's images but every one declares 0 replicas, or they run none and no version is stated (or
     * {@code none} is).
     *
     * @param imagesMatchRelease the running images are a release's
     * @param scaledToZero       every component declares 0 replicas
     * @param versionStated      {@code spec.application.installedVersion} names a version
     */
    public static boolean mayBeUninstalled(boolean imagesMatchRelease, boolean scaledToZero, boolean versionStated) {
        return imagesMatchRelease ? scaledToZero : !versionStated;
    }

    /**
     * @param statedNotInstalled the admin stated {@code installedVersion: none} (and no release's images run)
     */
    public static Assessment assess(boolean statedNotInstalled, DatabaseContents contents) {
        // A history table that records no applied migration was left by a run PostgreSQL rolled back: it holds nothing.
        if (contents.flywayHistory() && contents.historyVersion() != null) {
            return statedNotInstalled
                    ? new Assessment(Verdict.Refused, "spec.application.installedVersion is none, but the database "
                            + "has a Flyway history at schema version " + contents.historyVersion() + ": an application "
                            + "is installed. Set installedVersion to its version, or point spec.database at an empty "
                            + "database")
                    : new Assessment(Verdict.Installed, "the database has a Flyway history at schema version "
                            + contents.historyVersion());
        }
        if (contents.objectCount() > 0) {
            List<String> shown = contents.objectNames().subList(0, Math.min(NAMES_SHOWN, contents.objectNames().size()));
            return new Assessment(Verdict.Refused, "the database is not empty but has no Flyway history: "
                    + contents.objectCount() + (contents.objectCount() == 1 ? " object" : " objects")
                    + " in the managed schemas (" + String.join(", ", shown)
                    + (contents.objectCount() > shown.size() ? ", …" : "") + "). Slipway installs only into an empty "
                    + "database and never baselines existing data: point spec.database at an empty database, or "
                    + "remove these objects");
        }
        return new Assessment(Verdict.Install, "nothing is installed: no release runs and the database is empty");
    }

    /** The position after {@code current} of a first install with {@code hops} hops; null after Record. */
    public static Position next(Position current, int hops) {
        int hop = current.hop();
        return switch (current.step()) {
            case Preflight -> new Position(UpgradeStep.Migrate, 0);
            case Migrate -> hop < hops - 1 ? new Position(UpgradeStep.Migrate, hop + 1)
                    : new Position(UpgradeStep.RollImages, hop);
            case RollImages -> new Position(UpgradeStep.Resume, hop);
            case Resume, RollBack -> new Position(UpgradeStep.Record, hop);
            case Record -> null;
            default -> throw new IllegalArgumentException(current.step() + " is not a step of a first install");
        };
    }

    /**
     * Before a migration committed, the workloads go back to what they were (the images untouched by then in
     * practice, since RollImages follows the last migration). After, a database holding a release's schema stays as
     * it is: rolling it back is no longer a matter of images, and no page is up to hold behind.
     */
    public static FailureHandling onFailure(UpgradeStep failed, boolean committed) {
        return committed || failed == UpgradeStep.RollBack || failed == UpgradeStep.Record
                ? FailureHandling.RecordFailed : FailureHandling.RollBack;
    }

    /**
     * The replicas a component starts with: {@code spec.application.components[].replicas} when set, else the
     * workload's own count when it declares some, else one.
     */
    public static int replicas(Integer declared, int workloadReplicas) {
        if (declared != null) {
            return declared;
        }
        return workloadReplicas > 0 ? workloadReplicas : 1;
    }
}
