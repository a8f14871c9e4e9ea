package dev.slipway.artifacts;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.database.SnapshotJson;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.MigrationBundle;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A release's artifacts (migration bundles and schema snapshots) on local disk, fetched through the Release API
 * client: streamed to a file and checked against the published sha256 as they arrive (never whole in memory), bundles
 * extracted with the client's guards (zip slip, zip bombs, non-migrations). Each artifact is a directory named after its
 * sha256, so upgrades of the same release share it; it exists only once complete (staged, then moved into place), so a
 * failed or mismatched download leaves nothing behind.
 *
 * <p>Two modes:
 * <ul>
 * <li>{@link #cached cached} (the operator): a configured directory kept under a size cap by evicting the least
 * recently used artifacts, except those of an upgrade in progress: an upgrade holds every artifact it fetched until
 * {@link #release} (after its Record step), which also deletes those no other upgrade holds. After a restart, what is on
 * disk is reused, ordered by last use; holds are taken again as the resumed upgrades fetch their artifacts.</li>
 * <li>{@link #temporary temporary} (the CLI): a fresh temporary directory without cap, deleted on {@link #close}.</li>
 * </ul>
 */
public final class ArtifactStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ArtifactStore.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String COMPLETE = ".complete";
    private static final String STAGING = ".staging-";
    private static final String SNAPSHOT_FILE = "snapshot.json";

    private final ReleaseApiClient client;
    private final Path root;
    private final long maxBytes;
    private final Clock clock;
    private final boolean temporary;
    /** Complete artifacts by sha256, least recently used first, with their size on disk. */
    private final LinkedHashMap<String, Long> artifacts = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Set<String>> heldByUpgrade = new HashMap<>();
    private long totalBytes;

    private ArtifactStore(ReleaseApiClient client, Path root, long maxBytes, Clock clock, boolean temporary) {
        this.client = client;
        this.root = root;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.temporary = temporary;
    }

    /**
     * The operator's store in {@code directory} (created when missing), holding at most {@code maxBytes} of extracted
     * artifacts that no upgrade in progress holds. What a previous run left complete is kept; anything unfinished goes.
     */
    public static ArtifactStore cached(ReleaseApiClient client, Path directory, long maxBytes, Clock clock) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("slipway.artifacts.max-bytes must be positive, got " + maxBytes);
        }
        ArtifactStore store = new ArtifactStore(client, directory.toAbsolutePath().normalize(), maxBytes, clock, false);
        try {
            Files.createDirectories(store.root);
            store.indexWhatIsOnDisk();
        } catch (IOException e) {
            throw new UncheckedIOException("slipway.artifacts.directory " + directory + " cannot be used", e);
        }
        return store;
    }

    /** The CLI's store: a new temporary directory, deleted with everything in it on {@link #close()}. */
    public static ArtifactStore temporary(ReleaseApiClient client) {
        try {
            return new ArtifactStore(client, Files.createTempDirectory("slipway-artifacts-"), Long.MAX_VALUE, null, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for release artifacts", e);
        }
    }

    /**
     * The CLI's way to get one release's artifacts: its bundle and snapshot or, for a release that ships neither (no
     * database change), those of the newest lower release that does (bundles are cumulative, so that release's bundle
     * and snapshot describe the same schema), in a temporary store deleted when the result is closed.
     *
     * @throws FeedException when a download fails, does not match its sha256, the bundle is not a safe zip of
     *                       migrations, or the snapshot is not a schema snapshot
     */
    public static ReleaseArtifacts temporaryFor(ReleaseApiClient client, FeedSource source, ReleaseCatalog catalog,
            Release release) throws FeedException {
        ArtifactStore store = temporary(client);
        try {
            Optional<Release> withBundle = newestAtOrBelow(catalog, release, Release::migrations);
            Optional<Release> withSnapshot = newestAtOrBelow(catalog, release, Release::schemaSnapshot);
            Path migrations = withBundle.isEmpty() ? null : store.migrations(source, "cli", withBundle.get());
            SchemaSnapshot snapshot = withSnapshot.isEmpty() ? null
                    : store.snapshot(source, "cli", withSnapshot.get()).orElseThrow();
            return new ReleaseArtifacts(release, migrations, snapshot, store);
        } catch (FeedException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * The directory holding the release's migrations, fetched when not here yet; {@code upgrade} holds it until
     * {@link #release(String)}.
     *
     * @throws FeedException when the download fails, does not match its sha256, or the bundle is refused
     */
    public Path migrations(FeedSource source, String upgrade, Release release) throws FeedException {
        Release.MigrationsRef ref = release.migrations();
        return fetch(source, upgrade, ref.bundleUrl(), ref.sha256(), (file, directory) -> {
            MigrationBundle.extract(file, directory);
        });
    }

    /**
     * The release's expected schema, checked against its sha256; empty when the feed publishes none. {@code upgrade}
     * holds the file until {@link #release(String)}.
     *
     * @throws FeedException when the download fails, does not match its sha256, or is not a schema snapshot
     */
    public Optional<SchemaSnapshot> snapshot(FeedSource source, String upgrade, Release release) throws FeedException {
        Release.SchemaSnapshotRef ref = release.schemaSnapshot();
        if (ref == null) {
            return Optional.empty();
        }
        Path directory = fetch(source, upgrade, ref.url(), ref.sha256(), (file, target) -> {
            Files.createDirectories(target);
            Files.move(file, target.resolve(SNAPSHOT_FILE));
        });
        try (InputStream json = Files.newInputStream(directory.resolve(SNAPSHOT_FILE))) {
            return Optional.of(SnapshotJson.read(json));
        } catch (SnapshotJson.InvalidSnapshotException e) {
            throw new FeedException(FeedException.Kind.InvalidFeed, "schemaSnapshot of " + release.version()
                    + " is " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema snapshot in " + directory, e);
        }
    }

    /**
     * The upgrade no longer needs its artifacts (its Record step is done): they are deleted unless another upgrade
     * holds them.
     */
    public synchronized void release(String upgrade) {
        Set<String> held = heldByUpgrade.remove(upgrade);
        if (held == null) {
            return;
        }
        for (String sha256 : held) {
            if (!isHeld(sha256) && artifacts.containsKey(sha256)) {
                delete(sha256);
            }
        }
    }

    /** Bytes of complete artifacts on disk. */
    public synchronized long sizeInBytes() {
        return totalBytes;
    }

    /** Deletes the temporary store; a cached store stays for the next run. */
    @Override
    public void close() {
        if (temporary) {
            deleteRecursively(root);
        }
    }

    @FunctionalInterface
    private interface Unpacker {
        /** Turns the downloaded {@code file} into the artifact's {@code directory} (which does not exist yet). */
        void unpack(Path file, Path directory) throws FeedException, IOException;
    }

    private Path fetch(FeedSource source, String upgrade, URI url, String expectedSha256, Unpacker unpacker)
            throws FeedException {
        String sha256 = expectedSha256.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha256).matches()) {
            throw new FeedException(FeedException.Kind.InvalidFeed, "sha256 of " + url + " is not 64 hexadecimal "
                    + "characters");
        }
        Path directory = root.resolve(sha256);
        synchronized (this) {
            hold(upgrade, sha256);
            if (artifacts.get(sha256) != null) {
                touch(sha256);
                return directory;
            }
        }
        Path staging = createStaging();
        try {
            Path download = staging.resolve("download");
            client.downloadTo(source, url, sha256, download);
            Path unpacked = staging.resolve("unpacked");
            unpacker.unpack(download, unpacked);
            long size = sizeOf(unpacked);
            synchronized (this) {
                moveIntoPlace(unpacked, sha256);
                if (!artifacts.containsKey(sha256)) {
                    Files.createFile(root.resolve(sha256 + COMPLETE));
                    artifacts.put(sha256, size);
                    totalBytes += size;
                }
                touch(sha256);
                evictOverCap();
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the artifact " + sha256 + " in " + root, e);
        } finally {
            deleteRecursively(staging);
        }
    }

    private void hold(String upgrade, String sha256) {
        heldByUpgrade.computeIfAbsent(upgrade, key -> new HashSet<>()).add(sha256);
    }

    private boolean isHeld(String sha256) {
        return heldByUpgrade.values().stream().anyMatch(held -> held.contains(sha256));
    }

    /** Marks the artifact most recently used, in memory and (for the next run) on disk. */
    private void touch(String sha256) {
        artifacts.get(sha256);
        if (clock != null) {
            try {
                Files.setLastModifiedTime(root.resolve(sha256 + COMPLETE), FileTime.from(clock.instant()));
            } catch (IOException e) {
                LOG.debugf("cannot record the last use of artifact %s: %s", sha256, e.getMessage());
            }
        }
    }

    private void evictOverCap() {
        Iterator<String> leastRecentlyUsedFirst = new ArrayList<>(artifacts.keySet()).iterator();
        while (totalBytes > maxBytes && leastRecentlyUsedFirst.hasNext()) {
            String sha256 = leastRecentlyUsedFirst.next();
            if (!isHeld(sha256)) {
                delete(sha256);
            }
        }
        if (totalBytes > maxBytes) {
            LOG.warnf("artifact store %s holds %d bytes, over its %d-byte cap (slipway.artifacts.max-bytes): "
                    + "everything in it belongs to upgrades in progress", root, totalBytes, maxBytes);
        }
    }

    private void delete(String sha256) {
        Long size = artifacts.remove(sha256);
        totalBytes -= size == null ? 0 : size;
        // The marker goes first: a crash halfway leaves an incomplete directory, which the next start deletes.
        deleteRecursively(root.resolve(sha256 + COMPLETE));
        deleteRecursively(root.resolve(sha256));
    }

    /** Unless another thread stored the same artifact meanwhile. */
    private void moveIntoPlace(Path unpacked, String sha256) throws IOException {
        if (artifacts.containsKey(sha256)) {
            return;
        }
        Path directory = root.resolve(sha256);
        deleteRecursively(directory);
        try {
            Files.move(unpacked, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(unpacked, directory);
        }
    }

    private Path createStaging() {
        try {
            return Files.createTempDirectory(root, STAGING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the artifact store " + root, e);
        }
    }

    /**
     * Indexes complete artifacts by their last use and deletes what a previous run left unfinished (only names this
     * store makes: the directory may be shared).
     */
    private void indexWhatIsOnDisk() throws IOException {
        Map<String, FileTime> lastUse = new HashMap<>();
        List<Path> unfinished = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                String sha256 = name.endsWith(COMPLETE) ? name.substring(0, name.length() - COMPLETE.length()) : name;
                if (name.endsWith(COMPLETE) && SHA256.matcher(sha256).matches() && Files.isDirectory(root.resolve(sha256))) {
                    lastUse.put(sha256, Files.readAttributes(entry, BasicFileAttributes.class).lastModifiedTime());
                } else if (name.startsWith(STAGING) || name.endsWith(COMPLETE)
                        || (SHA256.matcher(name).matches() && !Files.exists(root.resolve(name + COMPLETE)))) {
                    unfinished.add(entry);
                }
            }
        }
        unfinished.forEach(ArtifactStore::deleteRecursively);
        lastUse.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(artifact -> {
            long size = sizeOf(root.resolve(artifact.getKey()));
            artifacts.put(artifact.getKey(), size);
            totalBytes += size;
        });
    }

    private static long sizeOf(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + directory, e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", path, e.getMessage());
        }
    }

    private static <T> Optional<Release> newestAtOrBelow(ReleaseCatalog catalog, Release release,
            Function<Release, T> artifact) {
        return catalog.releases().stream()
                .filter(candidate -> candidate.version().compareTo(release.version()) <= 0)
                .filter(candidate -> artifact.apply(candidate) != null)
                .max(Comparator.comparing(Release::version));
    }
}
