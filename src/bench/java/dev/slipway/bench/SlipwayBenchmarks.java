package dev.slipway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark (issues 9 and 17) in one JVM and one run, prints the table and writes BENCHMARKS.md. Run by surefire
 * only in the {@code bench} profile, after packaging (P6, P1 and P5 start the packaged jar). It asserts nothing about
 * time: a missed target is a verdict in the report, not a failed build. The hand-written src/bench/ANALYSIS.md
 * (profiles of the misses, figures not measured yet) is appended to the generated part.
 * <p>
 * {@code -Dslipway.bench.only=P1,P5} runs only the groups that measure the listed figures (while working on one of
 * them); such a partial report goes to target/BENCHMARKS-partial.md and never replaces the full BENCHMARKS.md.
 */
class SlipwayBenchmarks {

    private static final Pattern FIGURE = Pattern.compile("P\\d+");

    /** Benchmarks that share their setup and run together; a group runs if any of its figures is selected. */
    @FunctionalInterface
    private interface Group {
        List<Row> run(List<String> notes) throws Exception;
    }

    @Test
    void measureAndWriteReport() throws Exception {
        Set<String> only = only();
        Path jar = Path.of(System.getProperty("slipway.bench.jar"));
        Machine machine = Machine.current();
        String loadBefore = Machine.loadAverage();
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        runIfSelected(only, Set.of("P7"), PlanningBenchmarks::run, rows, notes);
        runIfSelected(only, Set.of("P3"), SchemaBenchmarks::run, rows, notes);
        runIfSelected(only, Set.of("P4"), MigrationBenchmarks::run, rows, notes);
        runIfSelected(only, Set.of("P2"), n -> UpgradeOverheadBenchmarks.run(jar, n), rows, notes);
        runIfSelected(only, Set.of("P6"), n -> OperatorStartBenchmarks.run(jar, n), rows, notes);
        runIfSelected(only, Set.of("P1", "P5"), n -> ScaleBenchmarks.run(jar, n), rows, notes);
        runIfSelected(only, Set.of("P8"), n -> PageServerBenchmarks.run(jar, n), rows, notes);
        runIfSelected(only, Set.of("P8"), n -> DowntimeBenchmarks.run(jar, n), rows, notes);
        runIfSelected(only, Set.of("P9"), TemplateCloneBenchmarks::run, rows, notes);
        Report report = Report.of(machine, Clock.systemUTC(), loadBefore, Machine.loadAverage(), rows, notes,
                Files.readString(Path.of("src/bench/ANALYSIS.md")));
        String markdown = report.markdown();
        System.out.println(markdown);
        Path target = only.isEmpty() ? Path.of(System.getProperty("slipway.bench.report", "BENCHMARKS.md"))
                : Path.of("target", "BENCHMARKS-partial.md");
        Files.writeString(target, markdown);
        System.out.println("Report written to " + target.toAbsolutePath());
    }

    private static void runIfSelected(Set<String> only, Set<String> figures, Group group, List<Row> rows,
            List<String> notes) throws Exception {
        if (only.isEmpty() || figures.stream().anyMatch(only::contains)) {
            rows.addAll(group.run(notes));
        }
    }

    /** The figures named by slipway.bench.only (P1,P5 or P1P5 alike); empty means all. */
    private static Set<String> only() {
        return FIGURE.matcher(System.getProperty("slipway.bench.only", "").toUpperCase(Locale.ROOT)).results()
                .map(MatchResult::group).collect(Collectors.toSet());
    }
}
