package dev.slipway.testing;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One scrape of {@code /q/metrics} in the Prometheus text format, as Prometheus itself would read it. */
public final class MetricsScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern HELP = Pattern.compile("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> help;

    private MetricsScrape(List<Sample> samples, Map<String, String> help) {
        this.samples = samples;
        this.help = help;
    }

    public static MetricsScrape now() {
        return of(given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** Parses a scrape already fetched (by a client other than RestAssured, say). */
    public static MetricsScrape of(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher helpLine = HELP.matcher(line);
            if (helpLine.find()) {
                help.put(helpLine.group(1), helpLine.group(2).strip());
            }
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, value(sample.group(3))));
        }
        return new MetricsScrape(samples, help);
    }

    /** A sample value as the text format writes it: Java's own syntax, except for the infinities. */
    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** The samples of a metric whose labels include all of {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The value of the one sample with exactly these labels, if present. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .map(Sample::value).findFirst();
    }

    /** The names of all samples in the scrape (histograms as {@code _bucket}, {@code _count}, {@code _sum}). */
    public Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The HELP text of the family a sample belongs to: the family is the sample's name, or that name without the
     * suffix the text format adds to counters and histograms.
     */
    public Optional<String> help(String sampleName) {
        return Stream.of("", "_total", "_bucket", "_count", "_sum", "_created")
                .filter(suffix -> sampleName.endsWith(suffix))
                .map(suffix -> sampleName.substring(0, sampleName.length() - suffix.length()))
                .filter(help::containsKey).map(help::get).findFirst();
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
