package dev.slipway.core.window;

import org.semver4j.Semver;

/**
 * How far a version change reaches, smallest first: what a policy's {@code allow} permits, and what an exclusion's
 * scope blocks.
 */
public enum UpgradeScope {
    PATCH, MINOR, MAJOR;

    /** The scope of the change from {@code from} to {@code to} (to &gt; from). */
    public static UpgradeScope between(Semver from, Semver to) {
        if (from.getMajor() != to.getMajor()) {
            return MAJOR;
        }
        return from.getMinor() != to.getMinor() ? MINOR : PATCH;
    }

    /** Whether a policy allowing this scope permits a change of {@code change}'s scope. */
    public boolean allows(UpgradeScope change) {
        return change.ordinal() <= ordinal();
    }
}
