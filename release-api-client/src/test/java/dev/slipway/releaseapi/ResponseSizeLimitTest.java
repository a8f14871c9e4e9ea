package dev.slipway.releaseapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.releaseapi.FeedException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 50 MB feed is refused by the size limit without being read: the server (the JDK's, which reports how far it got)
 * never manages to write the whole body, because the client hangs up once the limit is passed.
 */
class ResponseSizeLimitTest {

    private static final long FIFTY_MB = 50L * 1024 * 1024;
    private static final long LIMIT = 1024 * 1024;
    private static final String RELEASES = "/acme/v1/products/acme/releases";

    private final AtomicLong bytesWritten = new AtomicLong();
    private final CompletableFuture<Boolean> wholeBodyWritten = new CompletableFuture<>();
    private HttpServer server;

    @ParameterizedTest(name = "Content-Length declared: {0}")
    @ValueSource(booleans = {true, false})
    void a50MegabyteFeedIsTooLargeAndNotReadToTheEnd(boolean declareContentLength) throws Exception {
        serveFiftyMegabytes(declareContentLength);
        ReleaseApiClient client = new ReleaseApiClient(
                new ReleaseApiClient.Limits(Duration.ofSeconds(5), Duration.ofSeconds(60), LIMIT, LIMIT));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/acme");

        assertThatThrownBy(() -> client.fetch(FeedSource.of(base, "acme"), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TooLarge))
                .hasMessage("response from " + base + "/v1/products/acme/releases is larger than the " + LIMIT
                        + "-byte limit");

        long writtenWhenRefused = bytesWritten.get();
        assertThat(wholeBodyWritten.get(60, TimeUnit.SECONDS)).as("the server could write the whole body").isFalse();
        // What the server got out before the refusal: what the client read plus what socket buffers held.
        assertThat(writtenWhenRefused).isLessThan(FIFTY_MB / 2);
    }

    private void serveFiftyMegabytes(boolean declareContentLength) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(RELEASES, exchange -> {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            // Length 0 makes the JDK server use chunked transfer encoding.
            exchange.sendResponseHeaders(200, declareContentLength ? FIFTY_MB : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (bytesWritten.get() < FIFTY_MB) {
                    out.write(chunk);
                    bytesWritten.addAndGet(chunk.length);
                }
                out.flush();
                wholeBodyWritten.complete(true);
            } catch (IOException clientHungUp) {
                wholeBodyWritten.complete(false);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }
}
