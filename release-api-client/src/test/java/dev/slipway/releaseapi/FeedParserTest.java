package dev.slipway.releaseapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.releaseapi.FeedException.Kind;
import dev.slipway.testing.Feeds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.semver4j.Semver;

class FeedParserTest {

    private static final URI HTTP_BASE = URI.create("https://releases.example.com/acme/");
    private static final String SHA = "ab".repeat(32);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void parsesEveryFieldAndOrdersReleasesBySemVer() throws FeedException {
        Feeds feeds = Feeds.product("acme");
        feeds.release("1.10.0");
        ObjectNode full = feeds.release("1.2.0");
        full.putArray("channels").add("stable").add("fast");
        full.putObject("images").put("web", "registry.example.com/acme/web@sha256:" + SHA);
        full.putObject("migrations").put("bundleUrl", "migrations/acme-1.2.0.zip").put("sha256", SHA)
                .put("schemaVersion", "12");
        full.putObject("schemaSnapshot").put("url", "schemas/acme-1.2.0.json").put("sha256", SHA.toUpperCase());
        full.put("requiredStop", true).put("minUpgradeFrom", "1.0.0").put("notesUrl", "https://docs.example.com/n");
        full.putObject("blocked").put("reason", "data loss").put("url", "advisories/1");
        feeds.release("1.2.0-rc.1");

        ReleaseCatalog catalog = FeedParser.parse(bytes(feeds.json()), "acme", HTTP_BASE);

        assertThat(catalog.product()).isEqualTo("acme");
        assertThat(catalog.generatedAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(catalog.releases()).extracting(r -> r.version().getVersion())
                .containsExactly("1.2.0-rc.1", "1.2.0", "1.10.0");
        Release release = catalog.find(Semver.parse("1.2.0")).orElseThrow();
        assertThat(release.channels()).containsExactly("stable", "fast");
        assertThat(release.images()).containsEntry("web", "registry.example.com/acme/web@sha256:" + SHA);
        assertThat(release.migrations()).isEqualTo(new Release.MigrationsRef(
                URI.create("https://releases.example.com/acme/migrations/acme-1.2.0.zip"), SHA, "12"));
        assertThat(release.schemaSnapshot()).isEqualTo(new Release.SchemaSnapshotRef(
                URI.create("https://releases.example.com/acme/schemas/acme-1.2.0.json"), SHA));
        assertThat(release.requiredStop()).isTrue();
        assertThat(release.minUpgradeFrom().getVersion()).isEqualTo("1.0.0");
        assertThat(release.blocked()).isEqualTo(new Release.Blocked("data loss",
                URI.create("https://releases.example.com/acme/advisories/1")));
        assertThat(release.notesUrl()).isEqualTo(URI.create("https://docs.example.com/n"));
    }

    @Test
    void optionalFieldsDefaultToAbsent() throws FeedException {
        ObjectNode feed = minimal();
        release(feed).remove("channels");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0);

        assertThat(release.channels()).isEmpty();
        assertThat(release.images()).isEmpty();
        assertThat(release.migrationsRef()).isEmpty();
        assertThat(release.schemaSnapshotRef()).isEmpty();
        assertThat(release.requiredStop()).isFalse();
        assertThat(release.minUpgradeFrom()).isNull();
        assertThat(release.isBlocked()).isFalse();
        assertThat(release.notesUrl()).isNull();
    }

    @Test
    void anEmptyCatalogueIsValid() throws FeedException {
        assertThat(FeedParser.parse(bytes(Feeds.product("acme").json()), "acme", HTTP_BASE).releases()).isEmpty();
    }

    @Test
    void aBlockedReleaseWithoutReasonGetsAGenericOne() throws FeedException {
        ObjectNode feed = minimal();
        release(feed).putObject("blocked");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0);

        assertThat(release.blocked()).isEqualTo(new Release.Blocked("blocked by the vendor", null));
    }

    @Test
    void schemaVersionMayBeAJsonInteger() throws FeedException {
        ObjectNode feed = minimal();
        release(feed).putObject("migrations").put("bundleUrl", "b.zip").put("sha256", SHA).put("schemaVersion", 12);

        assertThat(FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0).schemaVersion())
                .isEqualTo("12");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            migrations/b.zip          | https://releases.example.com/acme/migrations/b.zip
            /b.zip                    | https://releases.example.com/b.zip
            ../other/b.zip            | https://releases.example.com/other/b.zip
            //cdn.example.com/b.zip   | https://cdn.example.com/b.zip
            http://mirror.example/b   | http://mirror.example/b
            """)
    void relativeUrlsResolveAgainstTheBaseUrl(String bundleUrl, String expected) throws FeedException {
        ObjectNode feed = minimal();
        release(feed).putObject("migrations").put("bundleUrl", bundleUrl).put("sha256", SHA).put("schemaVersion", "1");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0);

        assertThat(release.migrations().bundleUrl()).isEqualTo(URI.create(expected));
    }

    @Test
    void aFileFeedResolvesRelativeUrlsToFilesNextToIt() throws FeedException {
        ObjectNode feed = minimal();
        release(feed).putObject("migrations").put("bundleUrl", "migrations/b.zip").put("sha256", SHA)
                .put("schemaVersion", "1");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", URI.create("file:/srv/feed/acme.json"))
                .releases().get(0);

        assertThat(release.migrations().bundleUrl()).isEqualTo(URI.create("file:/srv/feed/migrations/b.zip"));
    }

    @Test
    void aFeedFromTheNetworkMayNotPointAtLocalFiles() {
        ObjectNode feed = minimal();
        release(feed).putObject("migrations").put("bundleUrl", "file:/var/run/secrets/token").put("sha256", SHA)
                .put("schemaVersion", "1");

        assertInvalid(feed, Kind.InvalidFeed,
                "releases[0] (1.0.0).migrations.bundleUrl: must be an http or https URL (file URLs only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "v1.2.3", "01.2.3", "1.2.3-01", "1.2.3.4", " 1.2.3", "1.2.3\n", "latest", "1.2.3-"})
    void aNonSemVerVersionIsInvalidVersionNamingTheRelease(String version) {
        ObjectNode feed = minimal();
        release(feed).put("version", version);

        assertInvalid(feed, Kind.InvalidVersion, "releases[0].version: '" + version + "' is not a SemVer 2.0 version");
    }

    @Test
    void aNonSemVerMinUpgradeFromIsInvalidVersion() {
        ObjectNode feed = minimal();
        release(feed).put("minUpgradeFrom", "1.0");

        assertInvalid(feed, Kind.InvalidVersion, "releases[0] (1.0.0).minUpgradeFrom: '1.0' is not a SemVer 2.0 version");
    }

    @Test
    void aDuplicateVersionNamesBothReleases() {
        String json = Feeds.product("acme").with("1.0.0").with("1.1.0").with("1.0.0").json();

        assertInvalid(json, Kind.InvalidFeed, "releases[2] (1.0.0): duplicate version, also at releases[0]");
    }

    @Test
    void versionsDifferingOnlyInBuildMetadataAreDuplicates() {
        String json = Feeds.product("acme").with("1.0.0+build.1").with("1.0.0+build.2").json();

        assertInvalid(json, Kind.InvalidFeed, "releases[1] (1.0.0+build.2): duplicate version, also at releases[0]");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            publishedAt    | <absent>               | releases[0] (1.0.0).publishedAt: required
            publishedAt    | "2026-01-01T00:00:00"  | releases[0] (1.0.0).publishedAt: '2026-01-01T00:00:00' is not an RFC 3339 timestamp with offset
            publishedAt    | 42                     | releases[0] (1.0.0).publishedAt: must be a string
            version        | <absent>               | releases[0].version: required
            version        | ""                     | releases[0].version: required
            version        | 1                      | releases[0].version: must be a string
            channels       | "stable"               | releases[0] (1.0.0).channels: must be an array of strings
            channels       | ["stable", 7]          | releases[0] (1.0.0).channels: must be an array of strings
            images         | ["web"]                | releases[0] (1.0.0).images: must be an object of component name to image reference
            images         | {"web": 1}             | releases[0] (1.0.0).images.web: must be an image reference
            images         | {"web": " "}           | releases[0] (1.0.0).images.web: must be an image reference
            requiredStop   | "true"                 | releases[0] (1.0.0).requiredStop: must be true or false
            migrations     | "bundle.zip"           | releases[0] (1.0.0).migrations: must be an object
            schemaSnapshot | []                     | releases[0] (1.0.0).schemaSnapshot: must be an object
            schemaSnapshot | {"url": "s.json"}      | releases[0] (1.0.0).schemaSnapshot.sha256: required
            blocked        | true                   | releases[0] (1.0.0).blocked: must be an object
            blocked        | {"reason": false}      | releases[0] (1.0.0).blocked.reason: must be a string
            blocked        | {"url": "ftp://x/"}    | releases[0] (1.0.0).blocked.url: must be an http or https URL
            notesUrl       | 42                     | releases[0] (1.0.0).notesUrl: must be a string
            notesUrl       | "http://exa mple.com/" | releases[0] (1.0.0).notesUrl: 'http://exa mple.com/' is not a valid URL
            notesUrl       | "ftp://example.com/n"  | releases[0] (1.0.0).notesUrl: must be an http or https URL
            notesUrl       | "javascript:alert(1)"  | releases[0] (1.0.0).notesUrl: must be an http or https URL
            notesUrl       | "mailto:a@example.com" | releases[0] (1.0.0).notesUrl: must be an http or https URL
            minUpgradeFrom | 1                      | releases[0] (1.0.0).minUpgradeFrom: must be a string
            """)
    void anInvalidReleaseFieldIsNamedWithVersionAndPath(String field, String json, String message)
            throws JsonProcessingException {
        ObjectNode feed = minimal();
        if (json.equals("<absent>")) {
            release(feed).remove(field);
        } else {
            release(feed).set(field, MAPPER.readTree(json));
        }

        assertInvalid(feed, Kind.InvalidFeed, message);
    }

    @Test
    void aSchemaSnapshotNeedsAUrl() {
        ObjectNode feed = minimal();
        release(feed).putObject("schemaSnapshot").put("sha256", SHA);

        assertInvalid(feed, Kind.InvalidFeed, "releases[0] (1.0.0).schemaSnapshot.url: required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            bundleUrl     | releases[0] (1.0.0).migrations.bundleUrl: required
            sha256        | releases[0] (1.0.0).migrations.sha256: required
            schemaVersion | releases[0] (1.0.0).migrations.schemaVersion: required
            """)
    void aMigrationsFieldIsRequired(String field, String message) {
        ObjectNode feed = minimal();
        ObjectNode migrations = release(feed).putObject("migrations").put("bundleUrl", "b.zip").put("sha256", SHA)
                .put("schemaVersion", "3");
        migrations.remove(field);

        assertInvalid(feed, Kind.InvalidFeed, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void aSha256MustBe64HexCharacters(String sha) {
        ObjectNode feed = minimal();
        release(feed).putObject("schemaSnapshot").put("url", "s.json").put("sha256", sha);

        assertInvalid(feed, Kind.InvalidFeed, "releases[0] (1.0.0).schemaSnapshot.sha256: "
                + (sha.isEmpty() ? "required" : "must be 64 hexadecimal characters"));
    }

    @Test
    void aProblemInALaterReleaseRejectsTheWholeCatalogue() {
        Feeds feeds = Feeds.product("acme").with("1.0.0").with("1.1.0");
        feeds.release("1.2.0").put("requiredStop", "true");

        assertInvalid(feeds.json(), Kind.InvalidFeed, "releases[2] (1.2.0).requiredStop: must be true or false");
    }

    @Test
    void aReleaseMustBeAnObject() {
        ObjectNode feed = minimal();
        feed.withArray("releases").add("1.1.0");

        assertInvalid(feed, Kind.InvalidFeed, "releases[1]: must be an object");
    }

    @Test
    void aFeedForAnotherProductIsRefused() {
        assertInvalid(Feeds.product("other").json(), Kind.InvalidFeed,
                "product: feed is for 'other', expected 'acme'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"generatedAt": "2026-11-20T10:00:00Z", "releases": []}            | product: required
            {"product": "acme", "releases": []}                                 | generatedAt: required
            {"product": "acme", "generatedAt": "yesterday", "releases": []}     | generatedAt: 'yesterday' is not an RFC 3339 timestamp with offset
            {"product": "acme", "generatedAt": "2026-11-20T10:00:00Z"}          | releases: must be an array
            {"product": "acme", "generatedAt": "2026-11-20T10:00:00Z", "releases": {}} | releases: must be an array
            []                                                                  | feed must be a JSON object with product, generatedAt and releases
            "acme"                                                              | feed must be a JSON object with product, generatedAt and releases
            """)
    void anInvalidTopLevelIsNamed(String json, String message) {
        assertInvalid(json, Kind.InvalidFeed, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>Bad gateway</html>", "{\"product\": \"acme\", \"releases\": [", "{} trailing"})
    void aBodyThatIsNotJsonIsInvalidFeed(String body) {
        assertThatThrownBy(() -> FeedParser.parse(bytes(body), "acme", HTTP_BASE))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.InvalidFeed))
                .hasMessageStartingWith("feed is not valid JSON (");
    }

    @Test
    void anEmptyBodyIsInvalidFeed() {
        assertInvalid("", Kind.InvalidFeed, "feed must be a JSON object with product, generatedAt and releases");
    }

    @Test
    void deepNestingIsRefusedBeforeItCanExhaustTheStack() {
        String body = "{\"product\": \"acme\", \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> FeedParser.parse(bytes(body), "acme", HTTP_BASE))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.InvalidFeed))
                .hasMessageContaining("nesting depth");
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() throws FeedException {
        ObjectNode feed = minimal();
        feed.put("nextPollHint", "PT5M");
        release(feed).putObject("sbom").put("url", "sbom.json");

        assertThat(FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases()).hasSize(1);
    }

    @Test
    void aBackwardCompatibleReleaseSplitsItsBundleIntoExpandAndContract() throws FeedException {
        ObjectNode feed = minimal();
        ObjectNode compatibility = migrations(feed, "12").putObject("compatibility").put("mode", "backward");
        compatibility.putObject("expand").put("schemaVersion", 11).put("minAppVersion", "0.9.0");
        compatibility.putObject("contract").put("minAppVersion", "1.0.0");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0);

        assertThat(release.compatibility()).contains(
                new Release.Compatibility("11", Semver.parse("0.9.0"), Semver.parse("1.0.0")));
        assertThat(release.schemaVersion()).isEqualTo("12");
    }

    @Test
    void expandDefaultsToTheWholeBundleAndContractToExpandsFloor() throws FeedException {
        ObjectNode feed = minimal();
        migrations(feed, "1.4.2").putObject("compatibility").put("mode", "backward")
                .putObject("expand").put("minAppVersion", "0.9.0");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0);

        assertThat(release.compatibility()).contains(
                new Release.Compatibility("1.4.2", Semver.parse("0.9.0"), Semver.parse("0.9.0")));
    }

    @Test
    void aReleaseWithoutCompatibilityNeedsDowntimeAsBefore() throws FeedException {
        ObjectNode feed = minimal();
        migrations(feed, "3");

        Release release = FeedParser.parse(bytes(feed.toString()), "acme", HTTP_BASE).releases().get(0);

        assertThat(release.compatibility()).isEmpty();
        assertThat(release.migrations().compatibility()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"mode":"forward","expand":{"minAppVersion":"1.0.0"}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.mode: 'forward' is not supported
                        {"expand":{"minAppVersion":"1.0.0"}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.mode: required
                        {"mode":"backward"} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.expand: required
                        {"mode":"backward","expand":[]} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.expand: must be an object
                        {"mode":"backward","expand":{}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.expand.minAppVersion: required
                        {"mode":"backward","expand":{"minAppVersion":"v1"}} | InvalidVersion | releases[0] (1.0.0).migrations.compatibility.expand.minAppVersion: 'v1' is not a SemVer
                        {"mode":"backward","expand":{"minAppVersion":"1.0.0","schemaVersion":"13"}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.expand.schemaVersion: '13' must be a Flyway version no later than migrations.schemaVersion '12'
                        {"mode":"backward","expand":{"minAppVersion":"1.0.0","schemaVersion":"x"}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.expand.schemaVersion: 'x' must be
                        {"mode":"backward","expand":{"minAppVersion":"1.0.0","schemaVersion":true}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.expand.schemaVersion: must be a Flyway version
                        {"mode":"backward","expand":{"minAppVersion":"1.0.0"},"contract":{"minAppVersion":"0.5.0"}} | InvalidFeed | releases[0] (1.0.0).migrations.compatibility.contract.minAppVersion: 0.5.0 is lower than expand.minAppVersion 1.0.0
                        "backward" | InvalidFeed | releases[0] (1.0.0).migrations.compatibility: must be an object
            """)
    void aBadCompatibilityDeclarationNamesTheField(String compatibility, Kind kind, String messageStart)
            throws Exception {
        ObjectNode feed = minimal();
        migrations(feed, "12").set("compatibility", MAPPER.readTree(compatibility));

        assertInvalid(feed, kind, messageStart);
    }

    private static ObjectNode migrations(ObjectNode feed, String schemaVersion) {
        return release(feed).putObject("migrations").put("bundleUrl", "b.zip").put("sha256", SHA)
                .put("schemaVersion", schemaVersion);
    }

    private static ObjectNode minimal() {
        Feeds feeds = Feeds.product("acme");
        feeds.release("1.0.0");
        try {
            return (ObjectNode) MAPPER.readTree(feeds.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode release(ObjectNode feed) {
        return (ObjectNode) feed.withArray("releases").get(0);
    }

    private static void assertInvalid(ObjectNode feed, Kind kind, String messageStart) {
        assertInvalid(feed.toString(), kind, messageStart);
    }

    private static void assertInvalid(String json, Kind kind, String messageStart) {
        assertThatThrownBy(() -> FeedParser.parse(bytes(json), "acme", HTTP_BASE))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageStartingWith(messageStart);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
