package dev.slipway.artifacts;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.releaseapi.Release;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One release's database artifacts as {@link ArtifactStore#temporaryFor} fetched them; closing deletes them with
 * their temporary store.
 */
public final class ReleaseArtifacts implements AutoCloseable {

    private final Release release;
    private final Path migrations;
    private final SchemaSnapshot snapshot;
    private final ArtifactStore store;

    ReleaseArtifacts(Release release, Path migrations, SchemaSnapshot snapshot, ArtifactStore store) {
        this.release = release;
        this.migrations = migrations;
        this.snapshot = snapshot;
        this.store = store;
    }

    public Release release() {
        return release;
    }

    /** The unpacked migration files, if the release line ships any. */
    public Optional<Path> migrations() {
        return Optional.ofNullable(migrations);
    }

    /** The expected schema, if the vendor publishes one. */
    public Optional<SchemaSnapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    @Override
    public void close() {
        store.close();
    }
}
