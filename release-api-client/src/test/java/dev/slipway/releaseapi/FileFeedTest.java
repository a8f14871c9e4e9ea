package dev.slipway.releaseapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.releaseapi.FeedException.Kind;
import dev.slipway.testing.Feeds;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Air-gapped installs: the feed is a file, or a directory laid out like the Release API. */
class FileFeedTest {

    private static final String SHA = "cd".repeat(32);

    @TempDir
    Path directory;

    private final ReleaseApiClient client = new ReleaseApiClient();

    @Test
    void aDocumentIsReadAndItsRelativeUrlsPointNextToIt() throws Exception {
        Path document = write("acme.json", feedWithBundle("migrations/acme-1.0.0.zip"));

        FeedResponse.Fetched fetched = (FeedResponse.Fetched) client.fetch(FeedSource.of(document.toUri(), "acme"), null);

        assertThat(fetched.catalog().releases().get(0).migrations().bundleUrl())
                .isEqualTo(directory.resolve("migrations/acme-1.0.0.zip").toUri());
    }

    @Test
    void aDirectoryIsReadWithTheServersLayout() throws Exception {
        write("v1/products/acme/releases", feedWithBundle("migrations/acme-1.0.0.zip"));

        FeedResponse.Fetched fetched = (FeedResponse.Fetched) client.fetch(FeedSource.of(directory.toUri(), "acme"), null);

        assertThat(fetched.catalog().releases().get(0).migrations().bundleUrl())
                .isEqualTo(directory.resolve("migrations/acme-1.0.0.zip").toUri());
    }

    @Test
    void unchangedContentIsNotModifiedAndChangedContentIsFetched() throws Exception {
        Path document = write("acme.json", Feeds.product("acme").with("1.0.0").json());
        FeedSource source = FeedSource.of(document.toUri(), "acme");
        String etag = ((FeedResponse.Fetched) client.fetch(source, null)).etag();

        FeedResponse unchanged = client.fetch(source, etag);
        write("acme.json", Feeds.product("acme").with("1.0.0").with("1.1.0").json());
        FeedResponse changed = client.fetch(source, etag);

        assertThat(unchanged).isInstanceOf(FeedResponse.NotModified.class);
        assertThat(changed).isInstanceOfSatisfying(FeedResponse.Fetched.class, fetched -> {
            assertThat(fetched.catalog().releases()).hasSize(2);
            assertThat(fetched.etag()).isNotEqualTo(etag);
        });
    }

    @Test
    void aMissingFileIsUnreachable() {
        Path missing = directory.resolve("nope.json");

        assertThatThrownBy(() -> client.fetch(FeedSource.of(missing.toUri(), "acme"), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Unreachable))
                .hasMessage("file " + missing + " does not exist");
    }

    @Test
    void aFileLargerThanTheLimitIsTooLarge() throws Exception {
        Path document = write("acme.json", " ".repeat(2048) + Feeds.product("acme").json());
        ReleaseApiClient small = new ReleaseApiClient(
                new ReleaseApiClient.Limits(Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 1024));

        assertThatThrownBy(() -> small.fetch(FeedSource.of(document.toUri(), "acme"), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TooLarge));
    }

    @Test
    void aBundleNextToTheFeedIsDownloadedAndChecked() throws Exception {
        Path bundle = Files.createDirectories(directory.resolve("migrations")).resolve("acme-1.0.0.zip");
        Files.write(bundle, new byte[] {1, 2, 3});
        FeedSource source = FeedSource.of(directory.toUri(), "acme");

        assertThat(client.download(source, bundle.toUri(), ReleaseApiClient.sha256Hex(new byte[] {1, 2, 3})))
                .containsExactly(1, 2, 3);
        assertThatThrownBy(() -> client.download(source, bundle.toUri(), SHA))
                .isInstanceOfSatisfying(FeedException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.IntegrityMismatch));
    }

    private static String feedWithBundle(String bundleUrl) {
        Feeds feeds = Feeds.product("acme");
        feeds.release("1.0.0").putObject("migrations").put("bundleUrl", bundleUrl).put("sha256", SHA)
                .put("schemaVersion", "1");
        return feeds.json();
    }

    private Path write(String relativePath, String content) throws IOException {
        Path file = directory.resolve(relativePath);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
