package dev.slipway.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Release API on loopback serving the sample application's feed (with ETag and 304) and migration bundles, for
 * the demo and the tests.
 */
public final class LocalReleaseApi implements AutoCloseable {

    private final HttpServer server;
    private final SampleApplication application;
    private final AtomicInteger feedRequests = new AtomicInteger();

    public LocalReleaseApi(SampleApplication application) throws IOException {
        this.application = application;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/products/" + SampleApplication.PRODUCT + "/releases", this::feed);
        server.createContext("/bundles/", this::bundle);
        server.createContext("/schemas/", this::snapshot);
        server.start();
    }

    /** The base URL to put in {@code spec.releaseSource.url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public int feedRequests() {
        return feedRequests.get();
    }

    private void feed(HttpExchange exchange) throws IOException {
        feedRequests.incrementAndGet();
        byte[] body = application.feedJson().getBytes(StandardCharsets.UTF_8);
        String etag = "\"" + dev.slipway.releaseapi.ReleaseApiClient.sha256Hex(body).substring(0, 16) + "\"";
        exchange.getResponseHeaders().set("ETag", etag);
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, body);
    }

    private void bundle(HttpExchange exchange) throws IOException {
        String file = exchange.getRequestURI().getPath().substring("/bundles/".length());
        String version = file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
        boolean known = application.releases().stream().anyMatch(r -> r.version().equals(version));
        if (!known) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        send(exchange, application.bundle(version));
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        String file = exchange.getRequestURI().getPath().substring("/schemas/".length());
        String version = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        var snapshot = application.snapshot(version);
        if (snapshot.isEmpty()) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        send(exchange, snapshot.get().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
