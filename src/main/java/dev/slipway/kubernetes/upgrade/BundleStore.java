package dev.slipway.kubernetes.upgrade;

import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.MigrationBundle;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.database.SnapshotJson;
import java.util.stream.Stream;

/**
 * Migration bundles on local disk, one directory per (resource, version). A bundle is downloaded, checked against its
 * published sha256 and extracted safely once; after an operator restart it is simply fetched again.
 */
@ApplicationScoped
public class BundleStore {

    private final ReleaseApiClient client;
    private final Path root;

    public BundleStore(ReleaseApiClient client) {
        this.client = client;
        this.root = Path.of(System.getProperty("java.io.tmpdir"), "slipway-bundles");
    }

    /** The directory holding the release's migrations, fetching them if needed. */
    public Path migrations(FeedSource source, String owner, Release release) throws FeedException {
        Release.MigrationsRef ref = release.migrations();
        Path directory = root.resolve(owner).resolve(release.version().toString() + "-" + ref.sha256().substring(0, 12));
        Path complete = directory.resolve(".complete");
        if (Files.exists(complete)) {
            return directory;
        }
        byte[] zip = client.download(source, ref.bundleUrl(), ref.sha256());
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            MigrationBundle.extract(zip, directory);
            Files.createFile(complete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write migration bundle to " + directory, e);
        }
        return directory;
    }

    /** The release's expected schema snapshot, checked against its sha256; empty when the feed publishes none. */
    public Optional<SchemaSnapshot> snapshot(FeedSource source, Release release) throws FeedException {
        if (release.schemaSnapshot() == null) {
            return Optional.empty();
        }
        byte[] bytes = client.download(source, release.schemaSnapshot().url(), release.schemaSnapshot().sha256());
        try {
            return Optional.of(SnapshotJson.read(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (SnapshotJson.InvalidSnapshotException e) {
            throw new FeedException(FeedException.Kind.InvalidFeed, "schema snapshot of " + release.version()
                    + " is not a valid snapshot: " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
