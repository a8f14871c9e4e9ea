package dev.slipway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark of issue 9 in one JVM and one run, prints the table and writes BENCHMARKS.md. Run by surefire
 * only in the {@code bench} profile, after packaging (P6 starts the packaged jar). It asserts nothing about time: a
 * missed target is a verdict in the report, not a failed build. The hand-written src/bench/ANALYSIS.md (profiles of
 * the misses, figures not measured yet) is appended to the generated part.
 */
class SlipwayBenchmarks {

    @Test
    void measureAndWriteReport() throws Exception {
        Machine machine = Machine.current();
        String loadBefore = Machine.loadAverage();
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (selected("P7")) {
            rows.addAll(PlanningBenchmarks.run(notes));
        }
        if (selected("P3")) {
            rows.addAll(SchemaBenchmarks.run(notes));
        }
        if (selected("P4")) {
            rows.addAll(MigrationBenchmarks.run(notes));
        }
        if (selected("P2")) {
            rows.addAll(UpgradeOverheadBenchmarks.run(operatorJar(), notes));
        }
        if (selected("P6")) {
            rows.addAll(OperatorStartBenchmarks.run(operatorJar(), notes));
        }
        Report report = Report.of(machine, Clock.systemUTC(), loadBefore, Machine.loadAverage(), rows, notes,
                Files.readString(Path.of("src/bench/ANALYSIS.md")));
        String markdown = report.markdown();
        System.out.println(markdown);
        Files.writeString(Path.of(System.getProperty("slipway.bench.report", "BENCHMARKS.md")), markdown);
    }

    /** {@code -Dslipway.bench.only=P2,P4} runs only those groups (all when unset), to re-measure one figure quickly. */
    private static boolean selected(String id) {
        String only = System.getProperty("slipway.bench.only", "").trim();
        return only.isEmpty() || Arrays.stream(only.split(",")).map(String::trim).anyMatch(id::equalsIgnoreCase);
    }

    private static Path operatorJar() {
        return Path.of(System.getProperty("slipway.bench.jar"));
    }
}
