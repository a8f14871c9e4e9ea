package dev.slipway.bench;

import dev.slipway.api.page.PageStatus;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.spec.MaintenancePageReader;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * P8: resident memory of the packaged page server ({@code quarkus-run.jar maintenance-page}) under load: 200 live
 * update streams (SSE on /events) held open while 500 page GETs per second arrive, for 60 s, on loopback, its
 * ConfigMap updated every 2 s as the operator does during an upgrade. Once with the JVM as the page container ran it
 * before (the image's options under the old 192 Mi limit), once as it runs now (the default memory limit and the
 * JVM environment the page Deployment sets, {@link PageDeployment#jvmEnvironment}).
 */
final class PageServerBenchmarks {

    private static final int EVENT_STREAMS = 200;
    private static final int GETS_PER_SECOND = 500;
    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final Duration STATUS_UPDATE = Duration.ofSeconds(2);
    private static final String NAMESPACE = "shop";
    private static final String CONFIG_MAP = "shop-maintenance";
    /** Peak RSS must leave this share of the limit free: page cache, a GC's extra, a burst of connections. */
    private static final double HEADROOM = 0.25;

    private PageServerBenchmarks() {
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        Quantity defaultLimit = MaintenancePageReader.DEFAULT_LIMITS.get("memory");
        long defaultLimitMiB = mebibytes(defaultLimit);
        Map<String, String> pageEnvironment = PageDeployment.jvmEnvironment(defaultLimit);
        List<Row> rows = new ArrayList<>();
        try (ApiServer apiServer = ApiServer.start()) {
            apiServer.client().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).create();
            rows.addAll(measure(jar, apiServer, "image options, 192 Mi limit (before)", 192, Map.of(), notes));
            rows.addAll(measure(jar, apiServer, "page Deployment's options, " + defaultLimitMiB + " Mi limit (default)",
                    defaultLimitMiB, pageEnvironment, notes));
        }
        notes.add("P8: `<environment> java -XX:MaxRAM=<limit> -XX:+UseSerialGC "
                + String.join(" ", OperatorProcess.DOCKERFILE_OPTIONS) + " -jar target/quarkus-app/quarkus-run.jar"
                + " maintenance-page` against fabric8's CRUD API server on loopback; -XX:MaxRAM and the Serial"
                + " collector stand in for the container's memory limit (see P6). Load from the benchmark JVM: "
                + EVENT_STREAMS + " SSE streams on /events opened first and held, then " + GETS_PER_SECOND
                + " GET / per second for " + LOAD.toSeconds() + " s (java.net.http, HTTP/1.1 keep-alive), the page's"
                + " ConfigMap rewritten every " + STATUS_UPDATE.toSeconds() + " s (every stream gets each update)."
                + " RSS is VmRSS from /proc/<pid>/status every second; the target keeps " + (int) (HEADROOM * 100)
                + "% of the limit free. The page Deployment's environment (from the memory limit): `"
                + new java.util.TreeMap<>(pageEnvironment) + "`; before, none.");
        return rows;
    }

    private static List<Row> measure(Path jar, ApiServer apiServer, String how, long limitMiB,
            Map<String, String> environment, List<String> notes) throws Exception {
        publish(apiServer, 0);
        int pagePort = OperatorProcess.freePort();
        List<String> jvm = Stream.concat(Stream.of("-XX:MaxRAM=" + limitMiB + "m", "-XX:+UseSerialGC"),
                OperatorProcess.DOCKERFILE_OPTIONS.stream()).toList();
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("SLIPWAY_PAGE_NAMESPACE", NAMESPACE);
        env.put("SLIPWAY_PAGE_CONFIGMAP", CONFIG_MAP);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        List<InputStream> streams = new ArrayList<>();
        try (OperatorProcess page = OperatorProcess.launch(jar, apiServer.url(), jvm, env,
                List.of("maintenance-page", "--port", String.valueOf(pagePort)))) {
            URI base = URI.create("http://127.0.0.1:" + pagePort);
            awaitPage(page, http, base);
            double idleMiB = page.residentMiB();
            AtomicInteger events = new AtomicInteger();
            for (int i = 0; i < EVENT_STREAMS; i++) {
                InputStream stream = http.send(HttpRequest.newBuilder(base.resolve("/events"))
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream())
                        .body();
                streams.add(stream);
                CompletableFuture.runAsync(() -> drain(stream, events));
            }
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            HttpRequest get = HttpRequest.newBuilder(base.resolve("/")).header("Accept", "text/html")
                    .timeout(Duration.ofSeconds(10)).build();
            long periodMicros = 1_000_000L / GETS_PER_SECOND;
            var gets = load.scheduleAtFixedRate(() -> http.sendAsync(get, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> (error == null ? answered : failed).incrementAndGet()),
                    0, periodMicros, TimeUnit.MICROSECONDS);
            AtomicInteger version = new AtomicInteger();
            var updates = load.scheduleAtFixedRate(() -> publish(apiServer, version.incrementAndGet()),
                    STATUS_UPDATE.toMillis(), STATUS_UPDATE.toMillis(), TimeUnit.MILLISECONDS);
            List<Double> rss = new ArrayList<>();
            long end = System.nanoTime() + LOAD.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                page.checkAlive();
                rss.add(page.residentMiB());
            }
            gets.cancel(false);
            updates.cancel(false);
            double peak = rss.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            notes.add("P8 (" + how + "): idle RSS before the load " + Samples.format(idleMiB) + " MiB; during it "
                    + new Samples(rss, "MiB").describe() + ", peak " + Samples.format(peak) + " MiB of a "
                    + limitMiB + " MiB limit; " + answered.get() + " GETs answered (" + failed.get() + " failed), "
                    + events.get() + " events received on " + EVENT_STREAMS + " streams.");
            return List.of(Row.absolute("P8", "page server peak RSS, 200 SSE streams + 500 GET/s for 60 s, " + how,
                    new Samples(List.of(peak), "MiB"), Target.atMost(Math.floor(limitMiB * (1 - HEADROOM)), "MiB")));
        } finally {
            for (InputStream stream : streams) {
                stream.close();
            }
            load.shutdownNow();
        }
    }

    /** Counts the SSE events of one stream until it is closed. */
    private static void drain(InputStream stream, AtomicInteger events) {
        try {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = stream.read(buffer)) >= 0) {
                for (int i = 0; i + 1 < read; i++) {
                    if (buffer[i] == '\n' && buffer[i + 1] == '\n') {
                        events.incrementAndGet();
                    }
                }
            }
        } catch (IOException closed) {
            // the benchmark closed the stream
        }
    }

    private static void awaitPage(OperatorProcess page, HttpClient http, URI base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            page.checkAlive();
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/status.json")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // not serving yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the page server did not serve within a minute:\n" + page.log());
    }

    /** The status document as the operator publishes it mid-upgrade; {@code version} changes its elapsed time. */
    private static void publish(ApiServer apiServer, int version) {
        Instant started = Instant.parse("2026-03-14T02:00:00Z");
        PageStatus status = new PageStatus("acme-shop", "1.0.0", "2.0.0", PageStatus.Phase.IN_PROGRESS, started,
                started.plusSeconds(version), List.of(
                        new PageStatus.Step("PageUp", "Maintenance page up", PageStatus.StepState.DONE, started,
                                started.plusSeconds(5)),
                        new PageStatus.Step("Migrate", "Migrating database to 2.0.0 (hop 1 of 1)",
                                PageStatus.StepState.RUNNING, started.plusSeconds(5), null)),
                600L, null);
        apiServer.client().resource(new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP)
                .withNamespace(NAMESPACE).endMetadata().withData(Map.of(PageStatus.CONFIG_MAP_KEY, status.toJson()))
                .build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private static long mebibytes(Quantity quantity) {
        return MaintenancePageReader.amount(quantity).longValue() / (1024 * 1024);
    }
}
