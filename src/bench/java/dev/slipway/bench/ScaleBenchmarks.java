package dev.slipway.bench;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.slipway.demo.SampleApplication;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.MetricsScrape;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P1 and P5: the packaged operator, as in the container, against 100, 300 and 1,000 ManagedUpgrades (a
 * {@link ShopFleet}) following 3 feeds. P1 counts the requests the feed server receives per poll interval once every
 * status is steady; P5 times launch to steady status and reads the heap after a full GC and the reconcile-time
 * histogram the operator publishes on /q/metrics.
 */
final class ScaleBenchmarks {

    private static final List<Integer> SIZES = sizes(System.getProperty("slipway.bench.sizes", "100,300,1000"));
    private static final List<String> FEEDS = List.of("vendor-a", "vendor-b", "vendor-c");
    /** The shortest interval the spec allows, so that several intervals fit into the run. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    private static final int INTERVALS = 4;
    private static final int HEAP_SAMPLES = 3;
    private static final Duration STEADY_LIMIT = Duration.ofMinutes(3);
    private static final String RECONCILE_TIMER = "operator_sdk_controllers_execution_reconcile_seconds";
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Clock CLOCK = Clock.systemUTC();

    private ScaleBenchmarks() {
    }

    /** What one operator run over a fleet showed. */
    private record Run(int size, FeedTraffic traffic, double readyMillis, double steadyMillis, List<Double> heapMiB,
            double residentMiB, ReconcileTimes reconciles) {
    }

    /** Feed requests in consecutive poll intervals, their answers, and the operator's own count of poll results. */
    private record FeedTraffic(List<Double> requestsPerInterval, Map<Integer, Integer> responses,
            Map<String, Double> pollResults) {
    }

    /** The reconcile timer of all resources together (JOSDK keeps one per resource). */
    private record ReconcileTimes(double count, double meanMillis, double maxMillis, double p99Millis) {
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        List<Row> feedRows = new ArrayList<>();
        List<Row> scaleRows = new ArrayList<>();
        for (int size : SIZES) {
            Run run = measure(jar, size);
            String fleet = String.format("%,d resources in %d namespaces on %d feeds", size,
                    Math.min(size, ShopFleet.MAX_NAMESPACES), FEEDS.size());
            feedRows.add(Row.absolute("P1", "feed requests per " + POLL_INTERVAL.toSeconds() + " s poll interval, "
                    + fleet, new Samples(run.traffic().requestsPerInterval(), "requests"),
                    Target.exactly(FEEDS.size(), "requests")));
            scaleRows.add(Row.absolute("P5", "operator launch to steady status, " + fleet,
                    new Samples(List.of(run.steadyMillis()), "ms"), Target.atMost(30_000, "ms")));
            scaleRows.add(Row.absolute("P5", "heap used after a full GC, " + fleet,
                    new Samples(run.heapMiB(), "MiB"), Target.atMost(256, "MiB")));
            scaleRows.add(Row.absolute("P5", "reconcile time p99, " + fleet,
                    new Samples(List.of(run.reconciles().p99Millis()), "ms"), Target.atMost(50, "ms")));
            notes.add(feedNote(run));
            notes.add(scaleNote(run));
        }
        notes.add("P1/P5 setup: fabric8's CRUD API server in the benchmark JVM; " + FEEDS.size()
                + " feeds (the sample shop's feed, 4 releases, each with its own ETag) served by WireMock in the"
                + " benchmark JVM; per installation two Deployments (web, worker) and a ManagedUpgrade with"
                + " pollInterval " + POLL_INTERVAL.toSeconds() + " s (the minimum the spec allows) and a weekly"
                + " window. Two thirds run the newest release (UpToDate), one third run 1.2.0 under manual approval"
                + " (2.0.0 planned, WaitingForApproval), so no upgrade starts whenever the benchmark runs. The operator"
                + " is `java " + String.join(" ", OperatorProcess.AS_IN_CONTAINER) + " -jar quarkus-run.jar operator`"
                + " (Serial GC, max heap 384 MiB, as in the pod), one run per size. Steady = every resource's"
                + " status.observedGeneration equals its generation and its phase is the expected one, seen by an"
                + " informer in the benchmark JVM. The API server, the feed server and the operator share this"
                + " machine's 2 cores, so reconcile times include the mock API server's response times under that"
                + " load.");
        List<Row> rows = new ArrayList<>(feedRows);
        rows.addAll(scaleRows);
        return rows;
    }

    private static Run measure(Path jar, int size) throws Exception {
        try (ApiServer apiServer = ApiServer.start(); FeedServer feeds = new FeedServer()) {
            String feed = new SampleApplication().feedJson();
            List<String> feedUrls = new ArrayList<>();
            for (String source : FEEDS) {
                feeds.serveFeed(source, SampleApplication.PRODUCT, feed, "\"" + source + "-1\"");
                feedUrls.add(feeds.baseUrl(source));
            }
            ShopFleet fleet = ShopFleet.create(apiServer.client(), size, feedUrls, POLL_INTERVAL);
            try (SteadyWatch watch = new SteadyWatch(apiServer.client(), fleet);
                    OperatorProcess operator = OperatorProcess.launch(jar, apiServer.url(), jvmOptions(size))) {
                double readyMillis = operator.awaitReady();
                double steadyMillis = operator.millisSinceLaunch(watch.awaitAllSteady(STEADY_LIMIT, operator));
                // One more interval, so that every resource has been through a conditional poll before counting.
                Thread.sleep(POLL_INTERVAL.toMillis());
                FeedTraffic traffic = feedTraffic(feeds, operator);
                List<Double> heap = new ArrayList<>();
                for (int i = 0; i < HEAP_SAMPLES; i++) {
                    heap.add(heapAfterFullGcMiB(operator));
                }
                return new Run(size, traffic, readyMillis, steadyMillis, heap, operator.residentMiB(),
                        reconcileTimes(MetricsScrape.of(operator.get("/q/metrics"))));
            }
        }
    }

    /** As in the container; with -Dslipway.bench.jfr=<dir>, also a JFR profile per size for the analysis. */
    private static List<String> jvmOptions(int size) {
        List<String> options = new ArrayList<>(OperatorProcess.AS_IN_CONTAINER);
        String jfrDirectory = System.getProperty("slipway.bench.jfr");
        if (jfrDirectory != null) {
            options.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfrDirectory, "operator-" + size + ".jfr"));
        }
        return options;
    }

    private static FeedTraffic feedTraffic(FeedServer feeds, OperatorProcess operator) throws Exception {
        Map<String, Double> pollsBefore = pollResults(operator);
        long start = CLOCK.millis();
        long interval = POLL_INTERVAL.toMillis();
        Thread.sleep(INTERVALS * interval + 500);
        Map<String, Double> pollsAfter = pollResults(operator);
        List<String> paths = FEEDS.stream()
                .map(source -> "/" + source + "/v1/products/" + SampleApplication.PRODUCT + "/releases").toList();
        double[] perInterval = new double[INTERVALS];
        Map<Integer, Integer> responses = new TreeMap<>();
        for (ServeEvent event : feeds.wireMock().getAllServeEvents()) {
            long at = event.getRequest().getLoggedDate().getTime();
            if (paths.contains(event.getRequest().getUrl()) && at >= start && at < start + INTERVALS * interval) {
                perInterval[(int) ((at - start) / interval)]++;
                responses.merge(event.getResponse().getStatus(), 1, Integer::sum);
            }
        }
        Map<String, Double> polls = new TreeMap<>();
        pollsAfter.forEach((result, count) -> polls.put(result, count - pollsBefore.getOrDefault(result, 0.0)));
        return new FeedTraffic(Arrays.stream(perInterval).boxed().toList(), responses, polls);
    }

    /** slipway_feed_polls_total by result (ok, not_modified, error), summed over the feeds. */
    private static Map<String, Double> pollResults(OperatorProcess operator) throws Exception {
        Map<String, Double> results = new TreeMap<>();
        MetricsScrape.of(operator.get("/q/metrics")).samples("slipway_feed_polls_total", Map.of())
                .forEach(sample -> results.merge(sample.labels().get("result"), sample.value(), Double::sum));
        return results;
    }

    /** {@code jcmd GC.run} (a full collection), then the heap's used size from {@code jcmd GC.heap_info}. */
    private static double heapAfterFullGcMiB(OperatorProcess operator) throws Exception {
        operator.jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(operator.jcmd("GC.heap_info"));
        long kib = 0;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
        }
        return kib / 1024.0;
    }

    /**
     * Sums JOSDK's per-resource reconcile timers. The 99th percentile is read from their histogram the way Prometheus's
     * histogram_quantile does, but without interpolation: the upper edge of the bucket that holds it.
     */
    private static ReconcileTimes reconcileTimes(MetricsScrape scrape) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        scrape.samples(RECONCILE_TIMER + "_bucket", Map.of()).forEach(sample -> cumulative.merge(
                Double.parseDouble(sample.labels().get("le").replace("+Inf", "Infinity")), sample.value(), Double::sum));
        double count = sum(scrape, RECONCILE_TIMER + "_count");
        double rank = Math.ceil(0.99 * count);
        double p99Seconds = cumulative.entrySet().stream().filter(bucket -> bucket.getValue() >= rank)
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + RECONCILE_TIMER + " histogram on /q/metrics"));
        double maxSeconds = scrape.samples(RECONCILE_TIMER + "_max", Map.of()).stream()
                .mapToDouble(MetricsScrape.Sample::value).max().orElse(Double.NaN);
        return new ReconcileTimes(count, sum(scrape, RECONCILE_TIMER + "_sum") / count * 1000, maxSeconds * 1000,
                p99Seconds * 1000);
    }

    private static double sum(MetricsScrape scrape, String metric) {
        return scrape.samples(metric, Map.of()).stream().mapToDouble(MetricsScrape.Sample::value).sum();
    }

    private static String feedNote(Run run) {
        FeedTraffic traffic = run.traffic();
        return String.format("P1 (%,d resources): in %d consecutive %d s intervals after every status was steady the"
                + " feed server received %s requests (by HTTP status: %s); over the same time the operator's"
                + " slipway_feed_polls_total rose by %s (by result). The operator parses a feed only on a 200"
                + " (ReleaseApiClient.fetch returns NotModified on a 304 before FeedParser runs, and only a parsed"
                + " feed counts as result=ok), so no ok polls means no feed was parsed.", run.size(), INTERVALS,
                POLL_INTERVAL.toSeconds(), Samples.format(traffic.requestsPerInterval().stream()
                        .mapToDouble(Double::doubleValue).sum()), traffic.responses(), traffic.pollResults());
    }

    private static String scaleNote(Run run) {
        ReconcileTimes reconciles = run.reconciles();
        return String.format("P5 (%,d resources): ready (/q/health/ready) %s ms after launch, every status steady"
                + " after %s ms; %s reconciles from launch to the end of the run, mean %s ms, max %s ms (the"
                + " timer's max of the last 2 minutes), p99 read as the upper edge of its histogram bucket; heap"
                + " after `jcmd GC.run`, %d times, from `jcmd GC.heap_info`; RSS at the end %s MiB.", run.size(),
                Samples.format(run.readyMillis()), Samples.format(run.steadyMillis()),
                Samples.format(reconciles.count()), Samples.format(reconciles.meanMillis()),
                Samples.format(reconciles.maxMillis()), HEAP_SAMPLES, Samples.format(run.residentMiB()));
    }

    private static List<Integer> sizes(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
