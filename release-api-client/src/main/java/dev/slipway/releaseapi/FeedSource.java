package dev.slipway.releaseapi;

import java.net.URI;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and how to fetch one product's feed.
 *
 * @param baseUrl    the Release API base (http, https) or a file: URL of a catalog document or of a directory
 * @param headers    extra request headers (for example Authorization); never logged
 * @param sslContext trust for a private CA, or null for the JVM's default trust
 * @param publicKey  Ed25519 key the feed must be signed with, or null when feeds are not signed
 */
public record FeedSource(URI baseUrl, String product, Map<String, String> headers, SSLContext sslContext,
        PublicKey publicKey) {

    public FeedSource {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(product, "product");
        headers = Map.copyOf(headers);
    }

    public static FeedSource of(URI baseUrl, String product) {
        return new FeedSource(baseUrl, product, Map.of(), null, null);
    }

    /** The URL of the releases document: {@code {base}/v1/products/{product}/releases}, or the file itself. */
    public URI releasesUrl() {
        if ("file".equalsIgnoreCase(baseUrl.getScheme()) && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(baseUrl))) {
            return baseUrl;
        }
        return directoryBase().resolve("v1/products/" + product + "/releases");
    }

    /** What relative URLs in the feed resolve against. */
    public URI resolutionBase() {
        return releasesUrl().equals(baseUrl) ? baseUrl : directoryBase();
    }

    private URI directoryBase() {
        String text = baseUrl.toString();
        return text.endsWith("/") ? baseUrl : URI.create(text + "/");
    }

    @Override
    public String toString() {
        return "FeedSource[" + baseUrl + ", product=" + product + "]";
    }
}
