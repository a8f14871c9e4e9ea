package dev.slipway.core.plan;

import dev.slipway.core.window.UpgradeScope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.releaseapi.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.semver4j.Semver;

/** Checks the planner against a brute-force breadth-first search over the same rules. */
class UpgradePlannerProperties {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Property(tries = 300)
    void pathsAreValidAndShortest(@ForAll("feeds") List<Release> releases) {
        Semver current = new Semver("1.0.0");
        var policy = new UpgradePolicy("stable", UpgradeScope.MAJOR, null, Duration.ZERO);
        PlanOutcome outcome = UpgradePlanner.plan(current, releases, policy, NOW);
        Set<String> stopLines = releases.stream().filter(Release::requiredStop)
                .map(r -> r.version().getMajor() + "." + r.version().getMinor()).collect(Collectors.toSet());
        if (outcome instanceof PlanOutcome.Planned planned && planned.hasUpdate()) {
            Semver at = current;
            for (Hop hop : planned.steps()) {
                assertThat(edge(at, hop.release(), stopLines)).as("hop %s → %s", at, hop.version()).isTrue();
                at = hop.release().version();
            }
            assertThat(at).isEqualTo(planned.target());
            assertThat(planned.steps()).hasSize(bfsHops(current, planned.target(), releases, stopLines));
        }
    }

    private static int bfsHops(Semver current, Semver target, List<Release> releases, Set<String> stopLines) {
        Map<Semver, Integer> hops = new HashMap<>();
        var queue = new ArrayDeque<Semver>();
        hops.put(current, 0);
        queue.add(current);
        while (!queue.isEmpty()) {
            Semver at = queue.poll();
            for (Release next : releases) {
                if (!next.isBlocked() && !hops.containsKey(next.version()) && edge(at, next, stopLines)) {
                    hops.put(next.version(), hops.get(at) + 1);
                    queue.add(next.version());
                }
            }
        }
        return hops.getOrDefault(target, -1);
    }

    private static boolean edge(Semver from, Release to, Set<String> stopLines) {
        if (!from.isLowerThan(to.version()) || (to.minUpgradeFrom() != null && from.isLowerThan(to.minUpgradeFrom()))) {
            return false;
        }
        for (String line : stopLines) {
            String[] parts = line.split("\\.");
            Semver stop = Semver.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), 0).build();
            boolean afterFrom = stop.getMajor() > from.getMajor()
                    || (stop.getMajor() == from.getMajor() && stop.getMinor() > from.getMinor());
            boolean beforeTo = stop.getMajor() < to.version().getMajor()
                    || (stop.getMajor() == to.version().getMajor() && stop.getMinor() < to.version().getMinor());
            if (afterFrom && beforeTo) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<List<Release>> feeds() {
        Arbitrary<Release> release = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 12), Arbitraries.integers().between(0, 9))
                .as((major, minor, patch, stopDice, minFromDice, blockedDice) -> new Release(
                        Semver.of(major, minor, patch).build(), List.of("stable"), Instant.EPOCH, Map.of(), null, null,
                        stopDice == 0, minFromDice < 3 ? Semver.of(1, minFromDice + 1, 0).build() : null,
                        blockedDice == 0 ? new Release.Blocked("bad", null) : null, null));
        return release.list().ofMaxSize(14).map(list -> {
            var seen = new TreeSet<Semver>();
            var unique = new ArrayList<Release>();
            list.forEach(r -> {
                if (seen.add(r.version())) {
                    unique.add(r);
                }
            });
            return unique;
        });
    }
}
