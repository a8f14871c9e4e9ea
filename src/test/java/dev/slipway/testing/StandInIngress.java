package dev.slipway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.page.PageStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A real HTTP server standing in for an ingress controller: each request goes to the upstream {@code route} names at
 * that moment (proxied: status, the page's marker header and body), or, when it names none, is answered by "the
 * application" itself with 200. Tests decide when the route changes, as a controller's reload would.
 */
public final class StandInIngress implements AutoCloseable {

    public static final String APPLICATION_BODY = "the shop itself";

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param route the upstream base URI to proxy to now, or empty to answer as the application */
    public StandInIngress(Supplier<Optional<URI>> route) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Optional<URI> upstream = route.get();
                if (upstream.isEmpty()) {
                    send(exchange, 200, APPLICATION_BODY.getBytes(StandardCharsets.UTF_8));
                } else {
                    proxy(exchange, upstream.get());
                }
            }
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/");
    }

    private void proxy(HttpExchange exchange, URI upstream) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(upstream.resolve(
                    exchange.getRequestURI().getPath())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue(PageStatus.MARKER_HEADER)
                    .ifPresent(marker -> exchange.getResponseHeaders().add(PageStatus.MARKER_HEADER, marker));
            send(exchange, response.statusCode(), response.body());
        } catch (IOException e) {
            // What a controller answers when its upstream is unreachable.
            send(exchange, 502, "bad gateway".getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 502, "bad gateway".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
