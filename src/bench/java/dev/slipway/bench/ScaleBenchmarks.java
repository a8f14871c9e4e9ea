package dev.slipway.bench;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.slipway.demo.SampleApplication;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.MetricsScrape;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P1 and P5: the packaged operator, as in the container, against 100 to 5,000 ManagedUpgrades (a
 * {@link ShopFleet}) following 3 feeds. P5 times launch to steady status; then, over a few poll intervals of steady
 * state, P1 counts the requests the feed server receives per interval and P5 reads the reconcile-time histogram the
 * operator publishes on /q/metrics; last, P5 reads the heap after a full GC.
 */
final class ScaleBenchmarks {

    private static final List<Integer> SIZES = sizes(System.getProperty("slipway.bench.sizes", "100,300,1000,3000,5000"));
    private static final List<String> FEEDS = List.of("vendor-a", "vendor-b", "vendor-c");
    /** The shortest interval the spec allows, so that several intervals fit into the run. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    private static final int INTERVALS = 4;
    private static final int HEAP_SAMPLES = 3;
    private static final Duration STEADY_LIMIT = Duration.ofMinutes(3);
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Clock CLOCK = Clock.systemUTC();
    /** The fleet whose native memory is broken down (NMT summary) for ANALYSIS.md. */
    private static final int NMT_SIZE = 1000;
    static final Path NMT_SUMMARY = Path.of("target/bench/nmt-summary-" + NMT_SIZE + ".txt");
    /** What the live heap of that run holds, by class, for the same analysis. */
    static final Path HEAP_HISTOGRAM = Path.of("target/bench/heap-histogram-" + NMT_SIZE + ".txt");

    private ScaleBenchmarks() {
    }

    /** What one operator run over a fleet showed. */
    private record Run(int size, double readyMillis, double steadyMillis, ReconcileTimes untilSteady,
            SteadyState steadyState, List<Double> heapMiB, double residentMiB, Launch launch) {

        boolean settled() {
            return steadyState != null;
        }
    }

    /**
     * The launch burst: CPU time the operator and the benchmark JVM (the CRUD API server, the feeds, the watch) used
     * until every status was steady or the limit passed, and how many resources were steady then; it tells whether
     * the operator or the API server double set the pace.
     */
    private record Launch(double operatorCpuMillis, double benchmarkCpuMillis, long steady, String whyNotSteady) {
    }

    /**
     * Consecutive poll intervals once every status is steady: feed requests per interval, their answers, the
     * operator's own count of poll results, its reconciles and the API requests it made.
     */
    private record SteadyState(List<Double> feedRequestsPerInterval, Map<Integer, Integer> feedResponses,
            Map<String, Double> pollResults, ReconcileTimes reconciles, int apiRequests, double operatorCpuMillis) {
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        List<Row> feedRows = new ArrayList<>();
        List<Row> scaleRows = new ArrayList<>();
        for (int size : SIZES) {
            Run run = measure(jar, size);
            String fleet = String.format("%,d resources in %d namespaces on %d feeds", size,
                    Math.min(size, ShopFleet.MAX_NAMESPACES), FEEDS.size());
            Target launchTarget = Target.atMost(size > 1000 ? 60_000 : 30_000, "ms");
            Target rssTarget = Target.atMost(size > 1000 ? 512 : 300, "MiB");
            if (!run.settled()) {
                // The limit is a lower bound of the launch time: the row misses its target, as it should.
                scaleRows.add(Row.absolute("P5", String.format("operator launch to steady status, %s (not settled:"
                        + " %,d of %,d steady after %d s)", fleet, run.launch().steady(), size,
                        STEADY_LIMIT.toSeconds()), new Samples(List.of((double) STEADY_LIMIT.toMillis()), "ms"),
                        launchTarget));
                scaleRows.add(Row.absolute("P5", "resident set size (RSS) at the limit, " + fleet,
                        new Samples(List.of(run.residentMiB()), "MiB"), rssTarget));
                notes.add(unsettledNote(run));
                continue;
            }
            feedRows.add(Row.absolute("P1", "feed requests per " + POLL_INTERVAL.toSeconds() + " s poll interval, "
                    + fleet, new Samples(run.steadyState().feedRequestsPerInterval(), "requests"),
                    Target.exactly(FEEDS.size(), "requests")));
            scaleRows.add(Row.absolute("P5", "operator launch to steady status, " + fleet,
                    new Samples(List.of(run.steadyMillis()), "ms"), launchTarget));
            scaleRows.add(Row.absolute("P5", "resident set size (RSS) in steady state, " + fleet,
                    new Samples(List.of(run.residentMiB()), "MiB"), rssTarget));
            scaleRows.add(Row.absolute("P5", "heap used after a full GC, " + fleet,
                    new Samples(run.heapMiB(), "MiB"), Target.atMost(256, "MiB")));
            scaleRows.add(Row.absolute("P5", "reconcile time p99 in steady state, " + fleet,
                    new Samples(List.of(run.steadyState().reconciles().quantileMillis(0.99)), "ms"),
                    Target.atMost(50, "ms")));
            scaleRows.add(Row.absolute("P5", "reconcile time p99 from launch to steady status, " + fleet,
                    new Samples(List.of(run.untilSteady().quantileMillis(0.99)), "ms"), Target.atMost(50, "ms")));
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
                + " (heap and collector as in the pod, see P6), one run per size. Steady = every resource's"
                + " status.observedGeneration equals its generation and its phase is the expected one, seen by an"
                + " informer in the benchmark JVM. Steady state = " + INTERVALS + " poll intervals starting one"
                + " interval after that. Reconcile times are JOSDK's timer around `reconcile` (one histogram"
                + " per controller; a percentile is the upper edge of its bucket); they include the API calls the"
                + " reconciler makes, answered by the mock API server, which shares this machine's 2 cores with the"
                + " operator and the feed server.");
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
                double benchmarkCpuAtLaunch = benchmarkCpuMillis();
                double readyMillis = operator.awaitReady();
                OptionalLong steadyAt = watch.awaitAllSteady(STEADY_LIMIT, operator);
                Launch launch = new Launch(operator.cpuMillis(), benchmarkCpuMillis() - benchmarkCpuAtLaunch,
                        watch.steadyCount(), steadyAt.isPresent() ? null : watch.whyNotSteady());
                if (steadyAt.isEmpty()) {
                    return new Run(size, readyMillis, Double.NaN, null, null, List.of(), operator.residentMiB(),
                            launch);
                }
                double steadyMillis = operator.millisSinceLaunch(steadyAt.getAsLong());
                // One more interval, so that every resource has been through a conditional poll before counting.
                Thread.sleep(POLL_INTERVAL.toMillis());
                MetricsScrape atStart = MetricsScrape.of(operator.get("/q/metrics"));
                SteadyState steadyState = steadyState(apiServer, feeds, operator, atStart);
                // RSS before the forced collections below, which would shrink the heap and flatter the figure
                double resident = operator.residentMiB();
                List<Double> heap = new ArrayList<>();
                for (int i = 0; i < HEAP_SAMPLES; i++) {
                    heap.add(heapAfterFullGcMiB(operator));
                }
                if (size == NMT_SIZE) {
                    Files.createDirectories(NMT_SUMMARY.getParent());
                    Files.writeString(NMT_SUMMARY, operator.jcmd("VM.native_memory", "summary"));
                    Files.writeString(HEAP_HISTOGRAM, operator.jcmd("GC.class_histogram"));
                }
                return new Run(size, readyMillis, steadyMillis, ReconcileTimes.of(atStart), steadyState, heap,
                        resident, launch);
            }
        }
    }

    /** As in the container (with NMT in the {@value #NMT_SIZE} run); with -Dslipway.bench.jfr=<dir>, also a JFR profile per size for the analysis. */
    private static List<String> jvmOptions(int size) {
        List<String> options = new ArrayList<>(OperatorProcess.AS_IN_CONTAINER);
        if (size == NMT_SIZE) {
            // summary level costs a few MiB and a little CPU: only in the run whose breakdown ANALYSIS.md reads
            options.add("-XX:NativeMemoryTracking=summary");
        }
        // An experiment with other JVM settings (ANALYSIS.md): -Dslipway.bench.jvm="-XX:MaxRAMPercentage=50 ..."
        String experiment = System.getProperty("slipway.bench.jvm", "").trim();
        if (!experiment.isEmpty()) {
            options.addAll(List.of(experiment.split("\\s+")));
        }
        String jfrDirectory = System.getProperty("slipway.bench.jfr");
        if (jfrDirectory != null) {
            options.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfrDirectory, "operator-" + size + ".jfr"));
        }
        return options;
    }

    private static SteadyState steadyState(ApiServer apiServer, FeedServer feeds, OperatorProcess operator,
            MetricsScrape atStart) throws Exception {
        int apiRequestsAtStart = apiServer.requestCount();
        double cpuAtStart = operator.cpuMillis();
        long start = CLOCK.millis();
        long interval = POLL_INTERVAL.toMillis();
        long end = start + INTERVALS * interval;
        Thread.sleep(end - CLOCK.millis());
        MetricsScrape atEnd = MetricsScrape.of(operator.get("/q/metrics"));
        int apiRequests = apiServer.requestCount() - apiRequestsAtStart;
        double cpuMillis = operator.cpuMillis() - cpuAtStart;
        List<String> paths = FEEDS.stream()
                .map(source -> "/" + source + "/v1/products/" + SampleApplication.PRODUCT + "/releases").toList();
        double[] perInterval = new double[INTERVALS];
        Map<Integer, Integer> responses = new TreeMap<>();
        for (ServeEvent event : feeds.wireMock().getAllServeEvents()) {
            long at = event.getRequest().getLoggedDate().getTime();
            if (paths.contains(event.getRequest().getUrl()) && at >= start && at < end) {
                perInterval[(int) ((at - start) / interval)]++;
                responses.merge(event.getResponse().getStatus(), 1, Integer::sum);
            }
        }
        Map<String, Double> pollsAtStart = pollResults(atStart);
        Map<String, Double> polls = new TreeMap<>();
        pollResults(atEnd).forEach((result, count) -> polls.put(result, count - pollsAtStart.getOrDefault(result, 0.0)));
        return new SteadyState(Arrays.stream(perInterval).boxed().toList(), responses, polls,
                ReconcileTimes.of(atEnd).since(ReconcileTimes.of(atStart)), apiRequests, cpuMillis);
    }

    /** slipway_feed_polls_total by result (ok, not_modified, error), summed over the feeds. */
    private static Map<String, Double> pollResults(MetricsScrape scrape) {
        Map<String, Double> results = new TreeMap<>();
        scrape.samples("slipway_feed_polls_total", Map.of())
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

    private static String feedNote(Run run) {
        SteadyState steady = run.steadyState();
        return String.format("P1 (%,d resources): in the %d intervals of steady state the feed server received %s"
                + " requests (by HTTP status: %s); over the same time the operator's slipway_feed_polls_total rose"
                + " by %s (by result). The operator parses a feed only on a 200 (ReleaseApiClient.fetch returns"
                + " NotModified on a 304 before FeedParser runs, and only a parsed feed counts as result=ok), so no"
                + " ok polls means no feed was parsed.", run.size(), INTERVALS,
                Samples.format(steady.feedRequestsPerInterval().stream().mapToDouble(Double::doubleValue).sum()),
                steady.feedResponses(), steady.pollResults());
    }

    private static String scaleNote(Run run) {
        ReconcileTimes launch = run.untilSteady();
        ReconcileTimes steady = run.steadyState().reconciles();
        return String.format("P5 (%,d resources): ready (/q/health/ready) %s ms after launch, every status steady"
                + " after %s ms. From launch to steady: %s reconciles, mean %s ms, median ≤ %s ms. In steady state:"
                + " %s reconciles (%s per resource and interval), mean %s ms, median ≤ %s ms, with %s API requests"
                + " (%s per reconcile) and %s ms of operator CPU time (%s ms per reconcile, all threads). RSS at the"
                + " end of steady state (before any forced collection) %s MiB; heap after `jcmd GC.run`, %d times,"
                + " from `jcmd GC.heap_info`; %s.", run.size(), Samples.format(run.readyMillis()),
                Samples.format(run.steadyMillis()),
                Samples.format(launch.count()), Samples.format(launch.meanMillis()),
                Samples.format(launch.quantileMillis(0.5)), Samples.format(steady.count()),
                Samples.format(steady.count() / run.size() / INTERVALS), Samples.format(steady.meanMillis()),
                Samples.format(steady.quantileMillis(0.5)), run.steadyState().apiRequests(),
                Samples.format(run.steadyState().apiRequests() / steady.count()),
                Samples.format(run.steadyState().operatorCpuMillis()),
                Samples.format(run.steadyState().operatorCpuMillis() / steady.count()),
                Samples.format(run.residentMiB()), HEAP_SAMPLES, launchCpu(run.launch()));
    }

    /** CPU time of this (the benchmark's) JVM: the CRUD API server, the feed server and the steady watch. */
    private static double benchmarkCpuMillis() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime()
                / 1e6;
    }

    private static String launchCpu(Launch launch) {
        return String.format("during the launch the operator used %s ms of CPU and the benchmark JVM (API server"
                + " double, feeds, watch) %s ms", Samples.format(launch.operatorCpuMillis()),
                Samples.format(launch.benchmarkCpuMillis()));
    }

    private static String unsettledNote(Run run) {
        return String.format("P5 (%,d resources): ready (/q/health/ready) %s ms after launch, but only %,d statuses"
                + " steady after %d s (%s); %s; RSS then %s MiB.", run.size(), Samples.format(run.readyMillis()),
                run.launch().steady(), STEADY_LIMIT.toSeconds(), run.launch().whyNotSteady(), launchCpu(run.launch()),
                Samples.format(run.residentMiB()));
    }

    private static List<Integer> sizes(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
