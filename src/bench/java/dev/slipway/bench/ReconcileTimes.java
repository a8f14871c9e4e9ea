package dev.slipway.bench;

import dev.slipway.testing.MetricsScrape;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reconcile timer JOSDK publishes on /q/metrics (with a percentile histogram), summed over all its series (one
 * per controller, or one per resource where per-resource metrics are on): the histogram's cumulative bucket counts by
 * upper edge, the number of reconciles and their total time.
 */
record ReconcileTimes(TreeMap<Double, Double> cumulative, double count, double sumSeconds) {

    private static final String TIMER = "operator_sdk_controllers_execution_reconcile_seconds";

    static ReconcileTimes of(MetricsScrape scrape) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        scrape.samples(TIMER + "_bucket", Map.of()).forEach(sample -> cumulative.merge(
                Double.parseDouble(sample.labels().get("le").replace("+Inf", "Infinity")), sample.value(), Double::sum));
        if (cumulative.isEmpty()) {
            throw new IllegalStateException("no " + TIMER + " histogram on /q/metrics");
        }
        return new ReconcileTimes(cumulative, sum(scrape, TIMER + "_count"), sum(scrape, TIMER + "_sum"));
    }

    /** The reconciles between an earlier scrape and this one. */
    ReconcileTimes since(ReconcileTimes earlier) {
        TreeMap<Double, Double> difference = new TreeMap<>();
        cumulative.forEach((edge, count) -> difference.put(edge, count - earlier.cumulative.getOrDefault(edge, 0.0)));
        return new ReconcileTimes(difference, count - earlier.count, sumSeconds - earlier.sumSeconds);
    }

    /**
     * A quantile read the way Prometheus's histogram_quantile does, but without interpolation: the upper edge of the
     * bucket that holds it, so never less than the true value.
     */
    double quantileMillis(double quantile) {
        double rank = Math.ceil(quantile * count);
        return cumulative.entrySet().stream().filter(bucket -> bucket.getValue() >= rank).map(Map.Entry::getKey)
                .findFirst().orElseThrow() * 1000;
    }

    double meanMillis() {
        return sumSeconds / count * 1000;
    }

    private static double sum(MetricsScrape scrape, String metric) {
        return scrape.samples(metric, Map.of()).stream().mapToDouble(MetricsScrape.Sample::value).sum();
    }
}
