package dev.slipway.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.database.SnapshotJson;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import dev.slipway.testing.FeedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semver4j.Semver;

/** The artifact store against a real HTTP Release API: cap, holds, integrity, and the CLI's temporary mode. */
class ArtifactStoreTest {

    /** What one test bundle expands to on disk. */
    private static final int BUNDLE_BYTES = 1000;

    private final FeedServer server = new FeedServer();
    private final ReleaseApiClient client = new ReleaseApiClient();
    private final FeedSource source = FeedSource.of(URI.create(server.baseUrl("acme")), "acme");

    @TempDir
    Path cacheDirectory;

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void theCapEvictsTheLeastRecentlyUsedArtifactsLeftByAnEarlierRun() throws Exception {
        Release a = release("1.0.0", "a");
        Release b = release("1.1.0", "b");
        Release c = release("1.2.0", "c");
        Release d = release("1.3.0", "d");
        SteppingClock clock = new SteppingClock();
        ArtifactStore earlierRun = ArtifactStore.cached(client, cacheDirectory, 100 * BUNDLE_BYTES, clock);
        Path pathOfA = earlierRun.migrations(source, "shop_one", a);
        Path pathOfB = earlierRun.migrations(source, "shop_one", b);
        Path pathOfC = earlierRun.migrations(source, "shop_one", c);
        earlierRun.migrations(source, "shop_one", a); // used again: now the most recent

        // The operator restarts: nothing is held, and the cap leaves room for two and a half bundles.
        ArtifactStore store = ArtifactStore.cached(client, cacheDirectory, 5 * BUNDLE_BYTES / 2, clock);
        assertThat(store.sizeInBytes()).isEqualTo(3 * BUNDLE_BYTES);
        Path pathOfD = store.migrations(source, "shop_two", d);

        assertThat(pathOfB).doesNotExist();
        assertThat(pathOfC).doesNotExist();
        assertThat(pathOfA.resolve("V1__a.sql")).exists();
        assertThat(pathOfD.resolve("V1__d.sql")).exists();
        assertThat(store.sizeInBytes()).isEqualTo(2 * BUNDLE_BYTES);
        assertThat(server.requestsTo("/acme/a.zip")).hasSize(1);
    }

    @Test
    void anArtifactOfAnUpgradeInProgressIsNeverEvictedAndGoesWhenItsUpgradeIsRecorded() throws Exception {
        Release a = release("1.0.0", "a");
        Release b = release("1.1.0", "b");
        Release c = release("1.2.0", "c");
        ArtifactStore store = ArtifactStore.cached(client, cacheDirectory, 3 * BUNDLE_BYTES / 2, new SteppingClock());

        Path pathOfA = store.migrations(source, "shop_one", a);
        Path pathOfB = store.migrations(source, "shop_two", b);
        Path pathOfC = store.migrations(source, "shop_two", c);

        assertThat(List.of(pathOfA, pathOfB, pathOfC)).allSatisfy(path -> assertThat(path).isDirectory());
        assertThat(store.sizeInBytes()).as("over the cap, all in use").isEqualTo(3 * BUNDLE_BYTES);

        store.release("shop_one");
        assertThat(pathOfA).doesNotExist();
        assertThat(pathOfB).isDirectory();
        assertThat(store.sizeInBytes()).isEqualTo(2 * BUNDLE_BYTES);
    }

    @Test
    void upgradesOfTheSameReleaseShareOneDownloadAndItStaysUntilTheLastOneIsRecorded() throws Exception {
        Release a = release("1.0.0", "a");
        ArtifactStore store = ArtifactStore.cached(client, cacheDirectory, 100 * BUNDLE_BYTES, new SteppingClock());

        Path first = store.migrations(source, "shop_one", a);
        Path second = store.migrations(source, "shop_two", a);
        store.release("shop_one");

        assertThat(second).isEqualTo(first).isDirectory();
        assertThat(server.requestsTo("/acme/a.zip")).hasSize(1);
        store.release("shop_two");
        assertThat(first).doesNotExist();
        assertThat(cacheDirectory).isEmptyDirectory();
    }

    @Test
    void aSha256MismatchLeavesNothingInTheCache() throws Exception {
        byte[] zip = bundle("a");
        server.serveFile("/acme/a.zip", zip);
        String otherSha = ReleaseApiClient.sha256Hex("something else".getBytes(StandardCharsets.UTF_8));
        Release tampered = release("1.0.0", URI.create(server.baseUrl("acme") + "/a.zip"), otherSha, null);
        ArtifactStore store = ArtifactStore.cached(client, cacheDirectory, 100 * BUNDLE_BYTES, new SteppingClock());

        assertThatThrownBy(() -> store.migrations(source, "shop_one", tampered))
                .isInstanceOfSatisfying(FeedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FeedException.Kind.IntegrityMismatch))
                .hasMessageContaining("but the feed publishes " + otherSha);

        assertThat(cacheDirectory).isEmptyDirectory();
        assertThat(store.sizeInBytes()).isZero();
    }

    @Test
    void aDownloadOverTheArtifactLimitIsRefusedAndLeavesNothingInTheCache() throws Exception {
        Release a = release("1.0.0", "a");
        ReleaseApiClient strict = new ReleaseApiClient(new ReleaseApiClient.Limits(Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1024, 100));
        ArtifactStore store = ArtifactStore.cached(strict, cacheDirectory, 100 * BUNDLE_BYTES, new SteppingClock());

        assertThatThrownBy(() -> store.migrations(source, "shop_one", a))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(FeedException.Kind.TooLarge));

        assertThat(cacheDirectory).isEmptyDirectory();
    }

    @Test
    void aRefusedBundleLeavesNothingInTheCache() throws Exception {
        Release slipping = releaseOf("1.0.0", "slip", zip(Map.of("../V1__escape.sql", "select 1;")));
        ArtifactStore store = ArtifactStore.cached(client, cacheDirectory, 100 * BUNDLE_BYTES, new SteppingClock());

        assertThatThrownBy(() -> store.migrations(source, "shop_one", slipping)).hasMessageContaining("zip slip");

        assertThat(cacheDirectory).isEmptyDirectory();
    }

    @Test
    void whatAnEarlierRunLeftUnfinishedIsDeletedAtStartAndOtherFilesAreLeftAlone() throws Exception {
        String sha = "ab".repeat(32);
        Files.createDirectories(cacheDirectory.resolve(sha));
        Files.createDirectories(cacheDirectory.resolve(".staging-123"));
        Path someoneElses = Files.writeString(cacheDirectory.resolve("notes.txt"), "not ours");

        ArtifactStore.cached(client, cacheDirectory, 100 * BUNDLE_BYTES, new SteppingClock());

        try (Stream<Path> left = Files.list(cacheDirectory)) {
            assertThat(left).containsExactly(someoneElses);
        }
    }

    @Test
    void theTemporaryModeServesTheNewestArtifactsAtOrBelowTheReleaseAndLeavesNothingBehind() throws Exception {
        SchemaSnapshot schema = new SchemaSnapshot(SchemaSnapshot.FORMAT_VERSION, List.of("public"), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of());
        byte[] snapshotJson = SnapshotJson.writeBytes(schema);
        server.serveFile("/acme/snapshot.json", snapshotJson);
        Release withArtifacts = release("1.0.0", URI.create(server.baseUrl("acme") + "/a.zip"),
                ReleaseApiClient.sha256Hex(serve("a", bundle("a"))), new Release.SchemaSnapshotRef(
                        URI.create(server.baseUrl("acme") + "/snapshot.json"), ReleaseApiClient.sha256Hex(snapshotJson)));
        Release withoutDatabaseChange = new Release(new Semver("1.0.1"), List.of("stable"), Instant.EPOCH, Map.of(),
                null, null, false, null, null, null);
        ReleaseCatalog catalog = new ReleaseCatalog("acme", Instant.EPOCH, List.of(withArtifacts, withoutDatabaseChange));

        Path migrations;
        try (ReleaseArtifacts artifacts = ArtifactStore.temporaryFor(client, source, catalog, withoutDatabaseChange)) {
            migrations = artifacts.migrations().orElseThrow();
            assertThat(migrations.resolve("V1__a.sql")).exists();
            assertThat(artifacts.snapshot()).contains(schema);
        }

        assertThat(migrations.getParent()).doesNotExist();
    }

    /** A release whose bundle {@link #bundle(String)} is served at {@code /acme/<name>.zip}. */
    private Release release(String version, String name) throws IOException {
        return releaseOf(version, name, bundle(name));
    }

    private Release releaseOf(String version, String name, byte[] zip) {
        serve(name, zip);
        return release(version, URI.create(server.baseUrl("acme") + "/" + name + ".zip"),
                ReleaseApiClient.sha256Hex(zip), null);
    }

    private byte[] serve(String name, byte[] zip) {
        server.serveFile("/acme/" + name + ".zip", zip);
        return zip;
    }

    private static Release release(String version, URI bundle, String sha256, Release.SchemaSnapshotRef snapshot) {
        return new Release(new Semver(version), List.of("stable"), Instant.EPOCH, Map.of(),
                new Release.MigrationsRef(bundle, sha256, "1"), snapshot, false, null, null, null);
    }

    /** A bundle of one migration, {@code V1__<name>.sql}, of {@link #BUNDLE_BYTES}. */
    private static byte[] bundle(String name) throws IOException {
        return zip(Map.of("V1__" + name + ".sql", "-".repeat(BUNDLE_BYTES)));
    }

    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A clock a minute later at every read, so that each use is recorded as later than the one before. */
    private static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public synchronized Instant instant() {
            now = now.plus(Duration.ofMinutes(1));
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
