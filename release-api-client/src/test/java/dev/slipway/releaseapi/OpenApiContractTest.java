package dev.slipway.releaseapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.WireMock.JsonSchemaVersion;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

/** The example in {@code release-api-client/openapi.yaml} obeys the document's own schema and parses with the client. */
class OpenApiContractTest {

    private static final Path CONTRACT = Path.of("release-api-client/openapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document;
    private static StringValuePattern catalogSchema;

    @BeforeAll
    static void readContract() throws IOException {
        document = new YAMLMapper().readTree(CONTRACT.toFile());
        // The whole document is the schema root, so the components' $refs resolve; the root $ref selects the catalog.
        ObjectNode schema = document.deepCopy();
        schema.put("$ref", "#/components/schemas/ReleaseCatalog");
        catalogSchema = WireMock.matchingJsonSchema(schema.toString(), JsonSchemaVersion.V7);
    }

    @Test
    void theExampleMatchesTheCatalogSchema() {
        assertThat(catalogSchema.match(example().toString()).isExactMatch()).isTrue();
    }

    @Test
    void theSchemaRejectsAReleaseWithoutVersionOrWithAPrefixedVersion() {
        ObjectNode withoutVersion = example();
        ((ObjectNode) withoutVersion.withArray("releases").get(0)).remove("version");
        ObjectNode prefixed = example();
        ((ObjectNode) prefixed.withArray("releases").get(0)).put("version", "v1.0.0");
        ObjectNode shortSha = example();
        ((ObjectNode) shortSha.withArray("releases").get(1)).withObject("migrations").put("sha256", "abc");

        assertThat(catalogSchema.match(withoutVersion.toString()).isExactMatch()).isFalse();
        assertThat(catalogSchema.match(prefixed.toString()).isExactMatch()).isFalse();
        assertThat(catalogSchema.match(shortSha.toString()).isExactMatch()).isFalse();
    }

    @Test
    void theExampleParsesWithRelativeUrlsResolvedAgainstTheBaseUrl() throws Exception {
        ReleaseCatalog catalog = FeedParser.parse(JSON.writeValueAsBytes(example()), "acme",
                FeedSource.of(URI.create("https://releases.example.com/acme"), "acme").resolutionBase());

        assertThat(catalog.releases()).extracting(r -> r.version().getVersion()).containsExactly("1.0.0", "1.2.0", "1.2.1");
        Release release = catalog.find(Semver.parse("1.2.0")).orElseThrow();
        assertThat(release.migrations().bundleUrl())
                .isEqualTo(URI.create("https://releases.example.com/acme/migrations/acme-1.2.0.zip"));
        assertThat(release.requiredStop()).isTrue();
        assertThat(release.compatibility()).contains(new Release.Compatibility("11", Semver.parse("1.0.0"),
                Semver.parse("1.2.0")));
        assertThat(catalog.find(Semver.parse("1.2.1")).orElseThrow().isBlocked()).isTrue();
        assertThat(catalog.find(Semver.parse("1.2.1")).orElseThrow().compatibility()).isEmpty();
    }

    @Test
    void theSchemaRejectsACompatibilityModeOtherThanBackwardOrWithoutExpand() {
        ObjectNode forward = example();
        ((ObjectNode) forward.withArray("releases").get(1)).withObject("migrations").withObject("compatibility")
                .put("mode", "forward");
        ObjectNode withoutExpand = example();
        ((ObjectNode) withoutExpand.withArray("releases").get(1)).withObject("migrations").withObject("compatibility")
                .remove("expand");

        assertThat(catalogSchema.match(forward.toString()).isExactMatch()).isFalse();
        assertThat(catalogSchema.match(withoutExpand.toString()).isExactMatch()).isFalse();
    }

    @Test
    void theContractDocumentsTheSignatureHeaderTheClientReads() {
        JsonNode headers = document.at("/paths/~1v1~1products~1{product}~1releases/get/responses/200/headers");

        assertThat(headers.has(ReleaseApiClient.SIGNATURE_HEADER)).isTrue();
        assertThat(headers.has("ETag")).isTrue();
        assertThat(document.at("/paths/~1v1~1products~1{product}~1releases.sig/get").isMissingNode()).isFalse();
    }

    private static ObjectNode example() {
        return (ObjectNode) document
                .at("/paths/~1v1~1products~1{product}~1releases/get/responses/200/content/application~1json/example")
                .deepCopy();
    }
}
