package dev.slipway.database;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.MigrationBundle;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A release's database artifacts, downloaded and checked against their published sha256: the migration bundle
 * (unpacked into a temporary directory, deleted on {@link #close()}) and the expected schema snapshot.
 *
 * <p>A release that ships neither (no database change) uses those of the newest lower release that does: bundles
 * are cumulative, so that release's bundle and snapshot describe the same schema.
 */
public final class ReleaseArtifacts implements AutoCloseable {

    private final Release release;
    private final Path directory;
    private final Path migrations;
    private final SchemaSnapshot snapshot;

    private ReleaseArtifacts(Release release, Path directory, Path migrations, SchemaSnapshot snapshot) {
        this.release = release;
        this.directory = directory;
        this.migrations = migrations;
        this.snapshot = snapshot;
    }

    /**
     * @throws FeedException when a download fails, does not match its sha256, or the bundle is not a safe zip of
     *                       migrations
     * @throws SnapshotJson.InvalidSnapshotException when the snapshot is not a schema snapshot
     */
    public static ReleaseArtifacts download(ReleaseApiClient client, FeedSource source, ReleaseCatalog catalog,
            Release release) throws FeedException {
        Optional<Release.MigrationsRef> bundle = newestAtOrBelow(catalog, release, Release::migrations);
        Optional<Release.SchemaSnapshotRef> snapshotRef = newestAtOrBelow(catalog, release, Release::schemaSnapshot);
        Path directory = createTempDirectory();
        try {
            Path migrations = null;
            if (bundle.isPresent()) {
                byte[] zip = client.download(source, bundle.get().bundleUrl(), bundle.get().sha256());
                migrations = Files.createDirectories(directory.resolve("migrations"));
                MigrationBundle.extract(zip, migrations);
            }
            SchemaSnapshot snapshot = null;
            if (snapshotRef.isPresent()) {
                byte[] json = client.download(source, snapshotRef.get().url(), snapshotRef.get().sha256());
                snapshot = SnapshotJson.read(new String(json, StandardCharsets.UTF_8));
            }
            return new ReleaseArtifacts(release, directory, migrations, snapshot);
        } catch (IOException e) {
            delete(directory);
            throw new UncheckedIOException("cannot unpack release artifacts into " + directory, e);
        } catch (FeedException | RuntimeException e) {
            delete(directory);
            throw e;
        }
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
        delete(directory);
    }

    private static <T> Optional<T> newestAtOrBelow(ReleaseCatalog catalog, Release release, Function<Release, T> artifact) {
        return catalog.releases().stream()
                .filter(candidate -> candidate.version().compareTo(release.version()) <= 0)
                .filter(candidate -> artifact.apply(candidate) != null)
                .max(Comparator.comparing(Release::version))
                .map(artifact);
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("slipway-release-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for release artifacts", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
