package dev.slipway.core.plan;

import java.time.Duration;
import java.util.Objects;
import org.semver4j.Semver;

/**
 * What the admin allows.
 *
 * @param pinnedVersion exact target, or null to follow the newest allowed release
 * @param minReleaseAge releases younger than this are ignored (zero for none)
 */
public record UpgradePolicy(String channel, ChangeKind allow, Semver pinnedVersion, Duration minReleaseAge) {

    public UpgradePolicy {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(allow, "allow");
        minReleaseAge = minReleaseAge == null ? Duration.ZERO : minReleaseAge;
    }

    public static UpgradePolicy defaults() {
        return new UpgradePolicy("stable", ChangeKind.MINOR, null, Duration.ZERO);
    }
}
