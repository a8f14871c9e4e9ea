package dev.slipway.cli;

import org.semver4j.Semver;

/** Versions given on the command line, which the Release API and the operator read as SemVer 2.0. */
final class Versions {

    private Versions() {
    }

    /** Refuses a version that is not SemVer (null passes: the argument was not given). */
    static void requireSemVer(String version, String argument) {
        if (version != null && Semver.parse(version) == null) {
            throw new CliInputException("InvalidVersion", argument, "'" + version + "' is not a semantic version"
                    + " (such as 2.0.0)");
        }
    }
}
