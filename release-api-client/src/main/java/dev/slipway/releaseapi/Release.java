package dev.slipway.releaseapi;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.semver4j.Semver;

/**
 * One release of a product, validated: versions are SemVer, URLs are absolute (resolved against the feed URL).
 *
 * @param minUpgradeFrom lowest version this release may be installed over, or null when any is fine
 * @param blocked        why the vendor withdrew it, or null
 */
public record Release(
        Semver version,
        List<String> channels,
        Instant publishedAt,
        Map<String, String> images,
        MigrationsRef migrations,
        SchemaSnapshotRef schemaSnapshot,
        boolean requiredStop,
        Semver minUpgradeFrom,
        Blocked blocked,
        URI notesUrl) {

    public Release {
        channels = List.copyOf(channels);
        images = Map.copyOf(images);
    }

    public Optional<MigrationsRef> migrationsRef() {
        return Optional.ofNullable(migrations);
    }

    public Optional<SchemaSnapshotRef> schemaSnapshotRef() {
        return Optional.ofNullable(schemaSnapshot);
    }

    public boolean isBlocked() {
        return blocked != null;
    }

    /** The release's Flyway schema version, or null when it ships no migrations. */
    public String schemaVersion() {
        return migrations == null ? null : migrations.schemaVersion();
    }

    /** A migration bundle: a zip of Flyway SQL migrations, cumulative from the first release. */
    public record MigrationsRef(URI bundleUrl, String sha256, String schemaVersion) {
    }

    /** The expected schema of this release, in Slipway's snapshot format. */
    public record SchemaSnapshotRef(URI url, String sha256) {
    }

    /** Why the vendor blocked a release. */
    public record Blocked(String reason, URI url) {
    }
}
