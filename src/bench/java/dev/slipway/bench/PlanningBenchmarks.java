package dev.slipway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.plan.UpgradePlanner;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.core.window.MaintenanceSpecParser;
import dev.slipway.core.window.WindowEngine;
import dev.slipway.releaseapi.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.semver4j.Semver;

/** P7: the pure core's two hot paths, warmed up as in a long-running operator. */
final class PlanningBenchmarks {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Target BUDGET = Target.atMost(200, "ms");

    private PlanningBenchmarks() {
    }

    static List<Row> run(List<String> notes) throws Exception {
        List<Release> feed = generatedFeed();
        Semver current = Semver.parse("1.0.0");
        UpgradePolicy anyVersion = new UpgradePolicy("stable", UpgradeScope.MAJOR, null, Duration.ofDays(1));
        long coldStart = System.nanoTime();
        PlanOutcome outcome = UpgradePlanner.plan(current, feed, anyVersion, NOW);
        double coldMillis = (System.nanoTime() - coldStart) / 1e6;
        if (!(outcome instanceof PlanOutcome.Planned planned) || planned.target() == null) {
            throw new IllegalStateException("the generated feed must give a plan, got " + outcome);
        }
        Samples planning = Samples.millis(3, 9, () -> UpgradePlanner.plan(current, feed, anyVersion, NOW));

        WindowEngine engine = new WindowEngine(MaintenanceSpecParser.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                timeZone: Europe/Berlin
                windows:
                  - {name: weeknights, days: [Mon, Tue, Wed, Thu], startTime: "22:00", duration: 4h}
                  - {name: month-end, monthDays: [-1], startTime: "02:00", duration: 3h}
                exclusions:
                  - {name: freeze, startDate: "2026-12-19", endDate: "2027-01-04", scope: All}
                  - {name: black-friday, start: "2026-11-27T00:00:00-05:00", end: "2026-11-30T12:00:00Z", scope: MinorAndMajor}
                minimumRemaining: 45m
                """), "maintenance").schedule());
        Random random = new Random(42);
        List<Instant> instants = Stream.generate(() -> NOW.plusSeconds(random.nextInt(3 * 365 * 24 * 3600)))
                .limit(10_000).toList();
        Samples windows = Samples.millis(3, 9, () -> instants.forEach(at -> engine.evaluate(at, UpgradeScope.MAJOR)));

        notes.add("P7: medians after 3 warm-up runs (a long-running operator plans with a warm JIT); the very first"
                + " plan in this JVM, cold, took " + Samples.format(coldMillis) + " ms, which is what a one-shot"
                + " `slipway plan` pays. Policy: channel stable, allow MAJOR, minReleaseAge 1d, from 1.0.0, so the"
                + " planner walks the whole feed. Window engine: two weekly/monthly rules, two exclusions, instants"
                + " drawn uniformly over 3 years, `evaluate(at, MAJOR)` (current, next and next eligible window).");
        return List.of(
                Row.absolute("P7", "plan 1.0.0 → newest of " + feed.size() + " releases (" + planned.steps().size()
                        + " hops)", planning, BUDGET),
                Row.absolute("P7", "next window for 10,000 instants over 3 years", windows, BUDGET));
    }

    /**
     * 5 majors × 50 minors × 20 patches: every tenth minor line is a required stop, every fifth minor's first patch
     * needs the previous minor (minUpgradeFrom), every seventh release is beta-only, one in 97 is blocked, and the
     * newest day's releases are too young for minReleaseAge.
     */
    static List<Release> generatedFeed() {
        List<Release> releases = new ArrayList<>();
        int index = 0;
        for (int major = 1; major <= 5; major++) {
            for (int minor = 0; minor < 50; minor++) {
                for (int patch = 0; patch < 20; patch++, index++) {
                    Semver version = Semver.parse(major + "." + minor + "." + patch);
                    List<String> channels = index % 7 == 3 ? List.of("beta") : List.of("stable", "beta");
                    Semver minUpgradeFrom = minor % 5 == 0 && minor > 0 && patch == 0 ? Semver.parse(major + "." + (minor - 1) + ".0") : null;
                    Release.Blocked blocked = index % 97 == 50 ? new Release.Blocked("generated", null) : null;
                    releases.add(new Release(version, channels, NOW.minus(Duration.ofHours(5000 - index)), Map.of(),
                            null, null, minor % 10 == 0 && patch == 0, minUpgradeFrom, blocked, null));
                }
            }
        }
        return releases;
    }
}
