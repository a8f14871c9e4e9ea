package dev.slipway.http.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Real HTTP against a running page server, the way browsers and scripts reach it. */
final class PageHttp implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private Stream<String> eventLines;

    PageHttp(int port) {
        this.base = URI.create("http://localhost:" + port);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/html,*/*;q=0.8"));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    /** Opens {@code /events} and collects the data line of every event in the background. */
    void subscribe() {
        try {
            HttpResponse<Stream<String>> response = client.send(
                    HttpRequest.newBuilder(base.resolve(MaintenancePageServer.EVENTS_PATH)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            eventLines = response.body();
            Thread reader = new Thread(this::collectEvents, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void collectEvents() {
        try {
            eventLines.filter(line -> line.startsWith("data: "))
                    .forEach(line -> events.add(line.substring("data: ".length())));
        } catch (UncheckedIOException closedByTheTest) {
            // close() ends the stream this way.
        }
    }

    /** The next event whose data matches, failing after a few seconds. */
    String nextEvent(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String event = events.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && matching.test(event)) {
                return event;
            }
        }
        throw new AssertionError("No matching server-sent event within 10 s");
    }

    @Override
    public void close() {
        if (eventLines != null) {
            eventLines.close();
        }
    }
}
