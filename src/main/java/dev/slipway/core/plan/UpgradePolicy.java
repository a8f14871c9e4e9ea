package dev.slipway.core.plan;

import dev.slipway.core.window.UpgradeScope;
import java.time.Duration;
import java.util.Objects;
import org.semver4j.Semver;

/**
 * What the admin allows.
 *
 * @param pinnedVersion exact target, or null to follow the newest allowed release
 * @param minReleaseAge releases younger than this are ignored (zero for none)
 */
public record UpgradePolicy(String channel, UpgradeScope allow, Semver pinnedVersion, Duration minReleaseAge) {

    public UpgradePolicy {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(allow, "allow");
        minReleaseAge = minReleaseAge == null ? Duration.ZERO : minReleaseAge;
    }

    public static UpgradePolicy defaults() {
        return new UpgradePolicy("stable", UpgradeScope.MINOR, null, Duration.ZERO);
    }
}
