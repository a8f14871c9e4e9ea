package dev.slipway.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.slipway.releaseapi.ReleaseApiClient;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;

/**
 * A real HTTP Release API for tests (WireMock on a free loopback port). Serves feeds with ETags and answers 304
 * to a matching If-None-Match, like a well-behaved vendor server.
 */
public final class FeedServer implements AutoCloseable {

    private final WireMockServer server;

    public FeedServer() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    public String baseUrl(String prefix) {
        return server.baseUrl() + "/" + prefix;
    }

    /**
     * Serves {@code body} at {@code /{prefix}/v1/products/{product}/releases} with {@code etag}, replacing what was
     * served there before (so a client still holding the old ETag now gets the new body).
     */
    public void serveFeed(String prefix, String product, String body, String etag) {
        serve(prefix, product, body, etag, aResponse());
    }

    /** As {@link #serveFeed}, with the vendor's Ed25519 signature of the body in the signature header. */
    public void serveSignedFeed(String prefix, String product, String body, String etag, PrivateKey vendor) {
        serve(prefix, product, body, etag, aResponse().withHeader(ReleaseApiClient.SIGNATURE_HEADER,
                Feeds.sign(body.getBytes(StandardCharsets.UTF_8), vendor)));
    }

    private void serve(String prefix, String product, String body, String etag, ResponseDefinitionBuilder response) {
        String path = "/" + prefix + "/v1/products/" + product + "/releases";
        server.getStubMappings().stream().filter(stub -> path.equals(stub.getRequest().getUrl()))
                .toList().forEach(server::removeStub);
        server.stubFor(get(urlEqualTo(path)).atPriority(10).willReturn(response.withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("ETag", etag).withBody(body)));
        server.stubFor(get(urlEqualTo(path)).atPriority(1).withHeader("If-None-Match", WireMock.equalTo(etag))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", etag)));
    }

    /** Serves any bytes (a bundle, a snapshot) at a path. */
    public void serveFile(String path, byte[] body) {
        server.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    public WireMockServer wireMock() {
        return server;
    }

    /** Requests received for a path, oldest first. */
    public List<ServeEvent> requestsTo(String path) {
        return server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(path))
                .sorted((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate())).toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
