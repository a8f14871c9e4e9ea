package dev.slipway.releaseapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Turns a feed document into a {@link ReleaseCatalog}, all or nothing: the first problem is reported with the
 * path of the offending field and the release's version, and no partial catalogue is ever returned.
 */
public final class FeedParser {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    /** The SemVer 2.0 grammar (semver.org); semver4j alone also accepts "v1.2.3" and surrounding blanks. */
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Set<String> REMOTE_SCHEMES = Set.of("http", "https");
    // Trailing tokens mean a garbled or concatenated body: refuse rather than parse its first value.
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private FeedParser() {
    }

    /**
     * @param body            the feed's bytes
     * @param expectedProduct the product the feed was requested for
     * @param base            URL that relative URLs in the feed resolve against
     */
    public static ReleaseCatalog parse(byte[] body, String expectedProduct, URI base) throws FeedException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("feed is not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (java.io.IOException | RuntimeException e) {
            throw invalid("feed could not be read as JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid("feed must be a JSON object with product, generatedAt and releases");
        }
        String product = requiredText(root, "product", "product");
        if (!product.equals(expectedProduct)) {
            throw invalid("product: feed is for '" + product + "', expected '" + expectedProduct + "'");
        }
        Instant generatedAt = instant(requiredText(root, "generatedAt", "generatedAt"), "generatedAt");
        JsonNode releasesNode = root.get("releases");
        if (releasesNode == null || !releasesNode.isArray()) {
            throw invalid("releases: must be an array");
        }
        List<Release> releases = new ArrayList<>(releasesNode.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < releasesNode.size(); i++) {
            Release release = release(releasesNode.get(i), i, base);
            String key = release.version().withClearedBuild().getVersion();
            Integer earlier = seen.putIfAbsent(key, i);
            if (earlier != null) {
                throw invalid("releases[" + i + "] (" + release.version() + "): duplicate version, also at releases["
                        + earlier + "]");
            }
            releases.add(release);
        }
        releases.sort((a, b) -> a.version().compareTo(b.version()));
        return new ReleaseCatalog(product, generatedAt, releases);
    }

    private static Release release(JsonNode node, int index, URI base) throws FeedException {
        String at = "releases[" + index + "]";
        if (node == null || !node.isObject()) {
            throw invalid(at + ": must be an object");
        }
        String versionText = requiredText(node, "version", at + ".version");
        Semver version = semver(versionText, at + ".version");
        String path = at + " (" + version + ")";
        List<String> channels = stringList(node.get("channels"), path + ".channels");
        Instant publishedAt = instant(requiredText(node, "publishedAt", path + ".publishedAt"), path + ".publishedAt");
        Map<String, String> images = images(node.get("images"), path + ".images");
        Release.MigrationsRef migrations = migrations(node.get("migrations"), path + ".migrations", base);
        Release.SchemaSnapshotRef snapshot = null;
        JsonNode snapshotNode = optionalObject(node, "schemaSnapshot", path + ".schemaSnapshot");
        if (snapshotNode != null) {
            snapshot = new Release.SchemaSnapshotRef(
                    url(requiredText(snapshotNode, "url", path + ".schemaSnapshot.url"), base, path + ".schemaSnapshot.url"),
                    sha256(snapshotNode, path + ".schemaSnapshot.sha256"));
        }
        boolean requiredStop = bool(node.get("requiredStop"), path + ".requiredStop");
        String minFrom = optionalText(node, "minUpgradeFrom", path + ".minUpgradeFrom");
        Semver minUpgradeFrom = minFrom == null ? null : semver(minFrom, path + ".minUpgradeFrom");
        Release.Blocked blocked = null;
        JsonNode blockedNode = optionalObject(node, "blocked", path + ".blocked");
        if (blockedNode != null) {
            String reason = optionalText(blockedNode, "reason", path + ".blocked.reason");
            String blockedUrl = optionalText(blockedNode, "url", path + ".blocked.url");
            blocked = new Release.Blocked(reason == null ? "blocked by the vendor" : reason,
                    blockedUrl == null ? null : url(blockedUrl, base, path + ".blocked.url"));
        }
        String notes = optionalText(node, "notesUrl", path + ".notesUrl");
        return new Release(version, channels, publishedAt, images, migrations, snapshot, requiredStop, minUpgradeFrom,
                blocked, notes == null ? null : url(notes, base, path + ".notesUrl"));
    }

    private static Release.MigrationsRef migrations(JsonNode node, String path, URI base) throws FeedException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid(path + ": must be an object");
        }
        URI bundle = url(requiredText(node, "bundleUrl", path + ".bundleUrl"), base, path + ".bundleUrl");
        String sha = sha256(node, path + ".sha256");
        JsonNode schemaVersion = node.get("schemaVersion");
        if (schemaVersion == null || !(schemaVersion.isTextual() || schemaVersion.isIntegralNumber())
                || schemaVersion.asText().isBlank()) {
            throw invalid(path + ".schemaVersion: required, a Flyway version such as \"12\" or \"1.4.2\"");
        }
        return new Release.MigrationsRef(bundle, sha, schemaVersion.asText(),
                compatibility(node.get("compatibility"), path + ".compatibility", schemaVersion.asText()));
    }

    /** {@code compatibility: {mode: backward, expand: {schemaVersion?, minAppVersion}, contract: {minAppVersion}}}. */
    private static Release.Compatibility compatibility(JsonNode node, String path, String schemaVersion)
            throws FeedException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid(path + ": must be an object");
        }
        String mode = requiredText(node, "mode", path + ".mode");
        if (!mode.equals("backward")) {
            throw invalid(path + ".mode: '" + abbreviate(mode) + "' is not supported; the only mode is \"backward\"");
        }
        JsonNode expand = optionalObject(node, "expand", path + ".expand");
        if (expand == null) {
            throw invalid(path + ".expand: required, an object with minAppVersion");
        }
        JsonNode expandTarget = expand.get("schemaVersion");
        String expandSchemaVersion = schemaVersion;
        if (expandTarget != null && !expandTarget.isNull()) {
            if (!(expandTarget.isTextual() || expandTarget.isIntegralNumber()) || expandTarget.asText().isBlank()) {
                throw invalid(path + ".expand.schemaVersion: must be a Flyway version such as \"12\" or \"1.4.2\"");
            }
            expandSchemaVersion = expandTarget.asText();
            int order = FlywayVersionOrder.compare(expandSchemaVersion, schemaVersion);
            if (order == FlywayVersionOrder.INCOMPARABLE || order > 0) {
                throw invalid(path + ".expand.schemaVersion: '" + abbreviate(expandSchemaVersion)
                        + "' must be a Flyway version no later than migrations.schemaVersion '"
                        + abbreviate(schemaVersion) + "'");
            }
        }
        Semver expandMin = semver(requiredText(expand, "minAppVersion", path + ".expand.minAppVersion"),
                path + ".expand.minAppVersion");
        JsonNode contract = optionalObject(node, "contract", path + ".contract");
        String contractMinText = contract == null ? null
                : optionalText(contract, "minAppVersion", path + ".contract.minAppVersion");
        Semver contractMin = contractMinText == null ? expandMin : semver(contractMinText, path + ".contract.minAppVersion");
        if (contractMin.isLowerThan(expandMin)) {
            throw invalid(path + ".contract.minAppVersion: " + contractMin + " is lower than expand.minAppVersion "
                    + expandMin + " (contract only removes what older versions used)");
        }
        return new Release.Compatibility(expandSchemaVersion, expandMin, contractMin);
    }

    private static Map<String, String> images(JsonNode node, String path) throws FeedException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(path + ": must be an object of component name to image reference");
        }
        Map<String, String> images = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                throw invalid(path + "." + entry.getKey() + ": must be an image reference");
            }
            images.put(entry.getKey(), entry.getValue().asText());
        }
        return images;
    }

    private static List<String> stringList(JsonNode node, String path) throws FeedException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(path + ": must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(path + ": must be an array of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static boolean bool(JsonNode node, String path) throws FeedException {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(path + ": must be true or false");
        }
        return node.booleanValue();
    }

    private static String sha256(JsonNode parent, String path) throws FeedException {
        String text = requiredText(parent, "sha256", path).toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(text).matches()) {
            throw invalid(path + ": must be 64 hexadecimal characters");
        }
        return text;
    }

    private static Semver semver(String text, String path) throws FeedException {
        Semver version = SEMVER.matcher(text).matches() ? Semver.parse(text) : null;
        if (version == null) {
            throw new FeedException(FeedException.Kind.InvalidVersion,
                    path + ": '" + abbreviate(text) + "' is not a SemVer 2.0 version");
        }
        return version;
    }

    private static Instant instant(String text, String path) throws FeedException {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(path + ": '" + abbreviate(text) + "' is not an RFC 3339 timestamp with offset");
        }
    }

    private static URI url(String text, URI base, String path) throws FeedException {
        try {
            URI resolved = base.resolve(new URI(text));
            // A feed from a server must not make the operator read its own files; one read from a file may.
            boolean fileFeed = "file".equals(lowerCaseScheme(base));
            String scheme = lowerCaseScheme(resolved);
            if (!REMOTE_SCHEMES.contains(scheme) && !(fileFeed && scheme.equals("file"))) {
                throw invalid(path + ": must be an http or https URL"
                        + (fileFeed ? " or a file URL" : " (file URLs only in a feed read from a file)"));
            }
            return resolved;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw invalid(path + ": '" + abbreviate(text) + "' is not a valid URL");
        }
    }

    private static String lowerCaseScheme(URI url) {
        return url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    }

    private static JsonNode optionalObject(JsonNode parent, String field, String path) throws FeedException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid(path + ": must be an object");
        }
        return node;
    }

    private static String requiredText(JsonNode parent, String field, String path) throws FeedException {
        String value = optionalText(parent, field, path);
        if (value == null || value.isBlank()) {
            throw invalid(path + ": required");
        }
        return value;
    }

    private static String optionalText(JsonNode parent, String field, String path) throws FeedException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(path + ": must be a string");
        }
        return node.asText();
    }

    private static FeedException invalid(String message) {
        return new FeedException(FeedException.Kind.InvalidFeed, message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return abbreviate(newline < 0 ? text : text.substring(0, newline));
    }
}
