package dev.slipway.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.testing.cluster.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The chart's monitoring objects as rendered with them switched on: the PrometheusRule's alert expressions and the
 * Grafana dashboard's queries, and the Slipway metric names they use (which the operator must really expose).
 */
public final class ChartMonitoring {

    private static final Pattern METRIC = Pattern.compile("\\bslipway_[a-z_]+\\b");

    private final Manifests manifests;

    private ChartMonitoring(Manifests manifests) {
        this.manifests = manifests;
    }

    /** Renders the chart with the PrometheusRule and the dashboard enabled (and everything else at its default). */
    public static ChartMonitoring rendered() {
        return new ChartMonitoring(Manifests.parse(HelmChartTest.render(command -> command
                .set("prometheusRule.enabled", true).set("grafanaDashboard.enabled", true))));
    }

    JsonNode prometheusRule() {
        return manifests.single("PrometheusRule", JsonNode.class);
    }

    /** The PromQL of every alert, in order. */
    public List<String> alertExpressions() {
        return stream(prometheusRule().path("spec").path("groups"))
                .flatMap(group -> stream(group.path("rules"))).map(rule -> rule.path("expr").asText()).toList();
    }

    JsonNode dashboardConfigMap() {
        return manifests.single("ConfigMap", JsonNode.class);
    }

    JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(dashboardConfigMap().path("data").path("slipway.json").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard is not JSON", e);
        }
    }

    /** The PromQL of every dashboard panel, in order. */
    public List<String> dashboardQueries() {
        return stream(dashboard().path("panels")).flatMap(panel -> stream(panel.path("targets")))
                .map(target -> target.path("expr").asText()).toList();
    }

    /** Every Slipway metric name (as it appears in a scrape, histogram suffixes included) the alerts or panels use. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        Stream.concat(alertExpressions().stream(), dashboardQueries().stream()).forEach(query -> {
            Matcher metric = METRIC.matcher(query);
            while (metric.find()) {
                names.add(metric.group());
            }
        });
        return names;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
