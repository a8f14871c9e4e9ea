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

    /** The vendor's backward-compatibility declaration of the release's migrations; empty means "needs downtime". */
    public Optional<Compatibility> compatibility() {
        return Optional.ofNullable(migrations).map(MigrationsRef::compatibility);
    }

    /**
     * A migration bundle: a zip of Flyway SQL migrations, cumulative from the first release.
     *
     * @param compatibility the vendor's backward-compatibility declaration, or null: the upgrade needs downtime
     */
    public record MigrationsRef(URI bundleUrl, String sha256, String schemaVersion, Compatibility compatibility) {

        /** A bundle without a compatibility declaration (needs downtime). */
        public MigrationsRef(URI bundleUrl, String sha256, String schemaVersion) {
            this(bundleUrl, sha256, schemaVersion, null);
        }
    }

    /**
     * {@code migrations.compatibility} with {@code mode: backward}: the bundle splits into two phases of one Flyway
     * history. Expand (migrations up to {@code expandSchemaVersion}) runs while the previous release serves;
     * contract (the rest, up to the bundle's {@code schemaVersion}) runs only after the new release runs everywhere
     * and may remove what older versions used.
     *
     * @param expandSchemaVersion   Flyway target of the expand phase; equals the bundle's schemaVersion when the
     *                              release has no contract migrations
     * @param expandMinAppVersion   oldest application version that runs correctly on the expanded schema
     * @param contractMinAppVersion oldest application version that runs correctly after contract
     */
    public record Compatibility(String expandSchemaVersion, Semver expandMinAppVersion, Semver contractMinAppVersion) {
    }

    /** The expected schema of this release, in Slipway's snapshot format. */
    public record SchemaSnapshotRef(URI url, String sha256) {
    }

    /** Why the vendor blocked a release. */
    public record Blocked(String reason, URI url) {
    }
}
