package dev.slipway.core.plan;

import org.semver4j.Semver;

/** How far a version change reaches, ordered from smallest to largest. */
public enum ChangeKind {
    PATCH, MINOR, MAJOR;

    /** The kind of change from {@code from} to {@code to} (to &gt; from). */
    public static ChangeKind between(Semver from, Semver to) {
        if (from.getMajor() != to.getMajor()) {
            return MAJOR;
        }
        return from.getMinor() != to.getMinor() ? MINOR : PATCH;
    }

    public boolean allows(ChangeKind change) {
        return change.ordinal() <= ordinal();
    }
}
