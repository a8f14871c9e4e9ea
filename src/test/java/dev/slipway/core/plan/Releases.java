package dev.slipway.core.plan;

import dev.slipway.releaseapi.Release;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.semver4j.Semver;

/** Test builder for releases: stable, published long ago, no constraints unless said. */
final class Releases {

    static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");

    private Semver version;
    private List<String> channels = List.of("stable");
    private Instant publishedAt = LONG_AGO;
    private boolean requiredStop;
    private Semver minUpgradeFrom;
    private Release.Blocked blocked;

    static Releases release(String version) {
        Releases builder = new Releases();
        builder.version = new Semver(version);
        return builder;
    }

    Releases stop() {
        requiredStop = true;
        return this;
    }

    Releases minUpgradeFrom(String version) {
        minUpgradeFrom = new Semver(version);
        return this;
    }

    Releases blocked(String reason) {
        blocked = new Release.Blocked(reason, null);
        return this;
    }

    Releases channels(String... names) {
        channels = List.of(names);
        return this;
    }

    Releases publishedAt(String instant) {
        publishedAt = Instant.parse(instant);
        return this;
    }

    Release build() {
        return new Release(version, channels, publishedAt, Map.of(), null, null, requiredStop, minUpgradeFrom, blocked,
                null);
    }

    static List<Release> feed(Releases... releases) {
        return java.util.Arrays.stream(releases).map(Releases::build).toList();
    }
}
