package dev.slipway.releaseapi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.semver4j.Semver;

/** Every release of one product, as served by the Release API, in ascending SemVer order. */
public record ReleaseCatalog(String product, Instant generatedAt, List<Release> releases) {

    public ReleaseCatalog {
        releases = List.copyOf(releases);
    }

    public Optional<Release> find(Semver version) {
        return releases.stream().filter(r -> r.version().compareTo(version) == 0).findFirst();
    }
}
