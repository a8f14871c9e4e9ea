package dev.slipway.http.page;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.api.page.PageStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The public, read-only maintenance page: its own HTTP server, because in the demo it shares a process with the
 * operator's HTTP port. Every path serves the page (the Ingress sends the whole application here) except
 * {@code /status.json} and the live-update stream {@code /events}; {@code /console/*} is 404 (the admin console is
 * served only on the operator's Service, never through the application's Ingress). Programs (JSON clients, non-GET methods) get a
 * 503 with {@code Retry-After}; so do people, with HTML, because the application really is unavailable.
 */
public final class MaintenancePageServer implements AutoCloseable {

    static final String STATUS_PATH = "/status.json";
    static final String EVENTS_PATH = "/events";
    static final String CONSOLE_PATH = "/console";
    private static final int MAX_EVENT_STREAMS = 2000;
    private static final long EVENT_REFRESH_MILLIS = 15_000;
    private static final long NO_SCRIPT_REFRESH_SECONDS = 15;
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final SecureRandom NONCES = new SecureRandom();

    private final Vertx vertx;
    private final PageStatusSource source;
    private final Clock clock;
    private final PageRenderer renderer = new PageRenderer();
    private final Set<HttpServerResponse> eventStreams = new CopyOnWriteArraySet<>();
    private HttpServer server;
    private long refreshTimer = -1;

    public MaintenancePageServer(Vertx vertx, PageStatusSource source, Clock clock) {
        this.vertx = vertx;
        this.source = source;
        this.clock = clock;
    }

    /**
     * Listens on {@code port} (0 picks a free one) and returns the bound port once the page is being served.
     *
     * @throws IllegalStateException naming the port when it cannot be bound
     */
    public synchronized int start(int port) {
        HttpServer created = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server = created.listen(port).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("Cannot serve the maintenance page on port " + port + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the maintenance page on port " + port, e);
        }
        source.onChange(this::pushToEventStreams);
        // Re-sending regularly keeps the elapsed time current and idle proxies from closing the streams.
        refreshTimer = vertx.setPeriodic(EVENT_REFRESH_MILLIS, timer -> pushToEventStreams());
        return server.actualPort();
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        vertx.cancelTimer(refreshTimer);
        try {
            server.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot stop the maintenance page server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server = null;
        }
    }

    private void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        // Says whose page answers, so the operator can see through the public URL that the swap took effect.
        source.marker().ifPresent(marker -> response.putHeader(PageStatus.MARKER_HEADER, marker));
        boolean readOnly = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (CONSOLE_PATH.equals(request.path()) || request.path().startsWith(CONSOLE_PATH + "/")) {
            // The admin console lives on the operator's own Service only; the public page never serves or hints at it.
            response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("Not Found");
        } else if (!readOnly) {
            unavailableForPrograms(request);
        } else if (STATUS_PATH.equals(request.path())) {
            statusJson(request);
        } else if (EVENTS_PATH.equals(request.path()) && request.method() == HttpMethod.GET) {
            openEventStream(request);
        } else if (wantsJson(request)) {
            unavailableForPrograms(request);
        } else {
            page(request);
        }
    }

    private PageView currentView() {
        return PageView.of(source.current(), clock.instant());
    }

    /** JSON clients say so, browsers ask for HTML first; anything else gets the page. */
    private static boolean wantsJson(HttpServerRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("json") && !accept.contains("text/html");
    }

    private void page(HttpServerRequest request) {
        PageView view = currentView();
        String nonce = nonce();
        long refresh = view.completed() ? PageView.MIN_RETRY_AFTER_SECONDS : NO_SCRIPT_REFRESH_SECONDS;
        request.response().setStatusCode(503)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(view.retryAfterSeconds()))
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce
                        + "'; script-src 'nonce-" + nonce + "'; connect-src 'self'; img-src data:; "
                        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        end(request, renderer.page(view, nonce, refresh));
    }

    private void unavailableForPrograms(HttpServerRequest request) {
        PageView view = currentView();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "maintenance");
        body.put("message", view.summary());
        body.put("retryAfterSeconds", view.retryAfterSeconds());
        body.put("status", STATUS_PATH);
        request.response().setStatusCode(503)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(view.retryAfterSeconds()));
        json(request, toJson(body));
    }

    private void statusJson(HttpServerRequest request) {
        json(request, source.current().map(PageStatus::toJson)
                .orElseGet(() -> toJson(Map.of("message", "Maintenance in progress."))));
    }

    private static void json(HttpServerRequest request, String body) {
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        end(request, body);
    }

    /** Vert.x would send a body even to HEAD; there the headers, with the body's length, are the whole answer. */
    private static void end(HttpServerRequest request, String body) {
        if (request.method() == HttpMethod.HEAD) {
            request.response().putHeader(HttpHeaders.CONTENT_LENGTH,
                    Integer.toString(body.getBytes(StandardCharsets.UTF_8).length)).end();
        } else {
            request.response().end(body);
        }
    }

    private void openEventStream(HttpServerRequest request) {
        if (eventStreams.size() >= MAX_EVENT_STREAMS) {
            unavailableForPrograms(request);
            return;
        }
        HttpServerResponse response = request.response();
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(closed -> eventStreams.remove(response));
        response.exceptionHandler(failure -> eventStreams.remove(response));
        // One lock for joining and pushing, so a change that lands while a page connects is never missed or
        // overtaken by an older first event. The first event brings the page up to date with changes since render.
        synchronized (eventStreams) {
            eventStreams.add(response);
            response.write("retry: 5000\n\n" + statusEvent(currentView()));
        }
    }

    private void pushToEventStreams() {
        synchronized (eventStreams) {
            if (eventStreams.isEmpty()) {
                return;
            }
            String event = statusEvent(currentView());
            for (HttpServerResponse stream : eventStreams) {
                if (stream.closed()) {
                    eventStreams.remove(stream);
                } else {
                    stream.write(event);
                }
            }
        }
    }

    /** One SSE event: the page's new content, rendered by the same template as the page itself. */
    private String statusEvent(PageView view) {
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("phase", view.phase());
        update.put("title", view.title());
        update.put("summary", view.summary());
        update.put("html", renderer.content(view));
        return "event: status\ndata: " + toJson(update) + "\n\n";
    }

    private static String toJson(Object value) {
        try {
            return PageStatus.json().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        NONCES.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
