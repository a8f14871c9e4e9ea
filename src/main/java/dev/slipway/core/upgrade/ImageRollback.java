package dev.slipway.core.upgrade;

import java.util.Optional;
import org.semver4j.Semver;

/**
 * Whether the images may go back to the previous release after the schema moved on: only when the applied schema
 * is backward compatible (or unchanged) and its recorded floor (the phase's {@code minAppVersion}) is no newer than
 * the version rolled back to. The same floor refuses to start any older version (StartStop, RollBack, Resume).
 *
 * @param schemaCompatible whether every schema change applied so far was declared backward compatible (or none was)
 * @param schemaFloor      the oldest application version the database's schema accepts, or null when none is recorded
 * @param rollbackTo       the version whose images a rollback would start
 */
public record ImageRollback(boolean schemaCompatible, Semver schemaFloor, Semver rollbackTo) {

    /** No schema change yet: going back is always safe. */
    public static ImageRollback untouchedSchema(Semver rollbackTo) {
        return new ImageRollback(true, null, rollbackTo);
    }

    /** A schema change that was not declared compatible: the old release must not run on it. */
    public static ImageRollback incompatibleSchema(Semver rollbackTo) {
        return new ImageRollback(false, null, rollbackTo);
    }

    public boolean permitted() {
        return refusal().isEmpty();
    }

    /** Why the images may not go back, in words for the Failed condition; empty when they may. */
    public Optional<String> refusal() {
        if (!schemaCompatible) {
            return Optional.of("the schema change is not backward compatible, so " + rollbackTo
                    + " cannot run on it; the application stays behind the maintenance page");
        }
        return startRefusal(schemaFloor, rollbackTo).map(reason -> "rollback refused: " + reason);
    }

    /**
     * Why {@code version} may not start on a database whose recorded floor is {@code floor}; empty when it may.
     *
     * @param floor null when the database records no floor
     */
    public static Optional<String> startRefusal(Semver floor, Semver version) {
        if (floor == null || version != null && !version.isLowerThan(floor)) {
            return Optional.empty();
        }
        if (version == null) {
            return Optional.of("the database's schema requires application version " + floor
                    + " or later and the version to start is unknown");
        }
        return Optional.of("the database's schema requires application version " + floor + " or later (minAppVersion"
                + " recorded in slipway_schema_floor), so " + version + " may not start on it");
    }
}
