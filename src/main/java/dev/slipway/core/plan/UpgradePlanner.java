package dev.slipway.core.plan;

import dev.slipway.core.window.UpgradeScope;
import dev.slipway.releaseapi.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.semver4j.Semver;

/**
 * Decides what to upgrade to and by which path. Pure: the feed, the policy and the instant are inputs.
 *
 * <p>Rules:
 * <ul>
 * <li>A release is <em>usable</em> when it lists the policy's channel, is not blocked, and is at least
 * {@code minReleaseAge} old.</li>
 * <li>A minor line X.Y is a <em>required stop</em> when any release of X.Y in the feed has {@code requiredStop}.</li>
 * <li>Edge u → v exists for a usable v iff u &lt; v, u ≥ v.minUpgradeFrom (when set), and no required-stop line L
 * has line(u) &lt; L &lt; line(v).</li>
 * <li>Target: the pinned version when set; otherwise the newest usable release allowed by {@code allow} relative to
 * the current version to which a path exists.</li>
 * <li>Path: fewest hops; among equals, the one whose hops, compared in order, are highest.</li>
 * </ul>
 * Shortest paths come from one pass over the candidates in descending order (edges only go upwards, so the
 * distances to the target are final when a version is visited); the highest-first path is then read off greedily.
 */
public final class UpgradePlanner {

    private static final Comparator<Release> BY_VERSION = Comparator.comparing(Release::version);

    private UpgradePlanner() {
    }

    public static PlanOutcome plan(Semver current, List<Release> releases, UpgradePolicy policy, Instant now) {
        TreeSet<Line> stopLines = new TreeSet<>();
        releases.stream().filter(Release::requiredStop).forEach(r -> stopLines.add(Line.of(r.version())));
        List<Release> usable = releases.stream().filter(r -> isUsable(r, policy, now)).sorted(BY_VERSION).toList();
        Semver latest = usable.isEmpty() ? null : usable.get(usable.size() - 1).version();
        List<Release> allowed = usable.stream()
                .filter(r -> r.version().isGreaterThan(current)
                        && policy.allow().allows(UpgradeScope.between(current, r.version())))
                .toList();
        List<Semver> available = allowed.stream().map(Release::version).toList();
        Graph graph = new Graph(current, usable, stopLines);

        if (policy.pinnedVersion() != null) {
            return planToPinned(current, releases, policy, now, graph, available, latest);
        }
        for (int i = allowed.size() - 1; i >= 0; i--) {
            Optional<List<Hop>> path = graph.shortestHighestPath(allowed.get(i));
            if (path.isPresent()) {
                return new PlanOutcome.Planned(current, allowed.get(i).version(), path.get(), available, latest);
            }
        }
        if (allowed.isEmpty()) {
            return new PlanOutcome.Planned(current, null, List.of(), available, latest);
        }
        return new PlanOutcome.Failed(PlanErrorCode.NoPath, graph.explainNoPath(allowed.get(allowed.size() - 1)));
    }

    private static PlanOutcome planToPinned(Semver current, List<Release> releases, UpgradePolicy policy, Instant now,
            Graph graph, List<Semver> available, Semver latest) {
        Semver pinned = policy.pinnedVersion();
        int order = pinned.compareTo(current);
        if (order == 0) {
            return new PlanOutcome.Planned(current, null, List.of(), available, latest);
        }
        if (order < 0) {
            return new PlanOutcome.Failed(PlanErrorCode.DowngradeNotSupported, "pinned version " + pinned
                    + " is lower than the current version " + current + "; Slipway never downgrades");
        }
        Optional<Release> release = releases.stream().filter(r -> r.version().compareTo(pinned) == 0).findFirst();
        if (release.isEmpty()) {
            return new PlanOutcome.Failed(PlanErrorCode.PinnedVersionUnavailable,
                    "pinned version " + pinned + " is not in the feed");
        }
        Optional<String> why = whyUnusable(release.get(), policy, now);
        if (why.isPresent()) {
            return new PlanOutcome.Failed(PlanErrorCode.PinnedVersionUnavailable,
                    "pinned version " + pinned + " " + why.get());
        }
        return graph.shortestHighestPath(release.get())
                .<PlanOutcome>map(path -> new PlanOutcome.Planned(current, pinned, path, available, latest))
                .orElseGet(() -> new PlanOutcome.Failed(PlanErrorCode.NoPath, graph.explainNoPath(release.get())));
    }

    static boolean isUsable(Release release, UpgradePolicy policy, Instant now) {
        return whyUnusable(release, policy, now).isEmpty();
    }

    static Optional<String> whyUnusable(Release release, UpgradePolicy policy, Instant now) {
        if (release.isBlocked()) {
            return Optional.of("is blocked by the vendor: " + release.blocked().reason());
        }
        if (!release.channels().contains(policy.channel())) {
            return Optional.of("is not on channel " + policy.channel());
        }
        if (release.publishedAt().plus(policy.minReleaseAge()).isAfter(now)) {
            return Optional.of("is younger than minReleaseAge (published " + release.publishedAt() + ")");
        }
        return Optional.empty();
    }

    /** A minor line, major.minor. */
    record Line(int major, int minor) implements Comparable<Line> {

        static Line of(Semver version) {
            return new Line(version.getMajor(), version.getMinor());
        }

        @Override
        public int compareTo(Line other) {
            return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    /** The upgrade graph over the current version and the usable releases. */
    private static final class Graph {
        private final Semver current;
        private final List<Release> usable;
        private final TreeSet<Line> stopLines;

        Graph(Semver current, List<Release> usable, TreeSet<Line> stopLines) {
            this.current = current;
            this.usable = usable;
            this.stopLines = stopLines;
        }

        boolean edge(Semver from, Release to) {
            if (!from.isLowerThan(to.version())) {
                return false;
            }
            if (to.minUpgradeFrom() != null && from.isLowerThan(to.minUpgradeFrom())) {
                return false;
            }
            Line stopAfter = stopLines.higher(Line.of(from));
            return stopAfter == null || stopAfter.compareTo(Line.of(to.version())) >= 0;
        }

        Optional<List<Hop>> shortestHighestPath(Release target) {
            List<Release> nodes = usable.stream()
                    .filter(r -> r.version().isGreaterThan(current) && !r.version().isGreaterThan(target.version()))
                    .toList();
            int n = nodes.size();
            int[] hopsToTarget = new int[n];
            Arrays.fill(hopsToTarget, Integer.MAX_VALUE);
            hopsToTarget[n - 1] = 0;
            for (int i = n - 2; i >= 0; i--) {
                for (int j = i + 1; j < n; j++) {
                    if (hopsToTarget[j] != Integer.MAX_VALUE && hopsToTarget[j] + 1 < hopsToTarget[i]
                            && edge(nodes.get(i).version(), nodes.get(j))) {
                        hopsToTarget[i] = hopsToTarget[j] + 1;
                    }
                }
            }
            List<Hop> path = new ArrayList<>();
            Semver at = current;
            int remaining = Integer.MAX_VALUE;
            for (int j = 0; j < n; j++) {
                if (hopsToTarget[j] != Integer.MAX_VALUE && edge(current, nodes.get(j))) {
                    remaining = Math.min(remaining, hopsToTarget[j] + 1);
                }
            }
            if (remaining == Integer.MAX_VALUE) {
                return Optional.empty();
            }
            while (remaining > 0) {
                for (int j = n - 1; j >= 0; j--) {
                    if (hopsToTarget[j] == remaining - 1 && edge(at, nodes.get(j))) {
                        Release hop = nodes.get(j);
                        path.add(new Hop(hop, reasonFor(hop, remaining == 1)));
                        at = hop.version();
                        break;
                    }
                }
                remaining--;
            }
            return Optional.of(path);
        }

        private HopReason reasonFor(Release hop, boolean last) {
            if (last) {
                return HopReason.Target;
            }
            return stopLines.contains(Line.of(hop.version())) ? HopReason.RequiredStop : HopReason.MinUpgradeFrom;
        }

        String explainNoPath(Release target) {
            Line from = Line.of(current);
            Line to = Line.of(target.version());
            for (Line stop : stopLines.subSet(from, false, to, false)) {
                boolean reachable = usable.stream().anyMatch(r -> Line.of(r.version()).equals(stop)
                        && r.version().isGreaterThan(current) && shortestHighestPath(r).isPresent());
                if (!reachable) {
                    return "no path from " + current + " to " + target.version() + ": required stop " + stop
                            + " has no usable release that can be reached from " + current;
                }
            }
            if (target.minUpgradeFrom() != null) {
                return "no path from " + current + " to " + target.version() + ": " + target.version()
                        + " requires upgrading from " + target.minUpgradeFrom()
                        + " or later (minUpgradeFrom), and no usable release in between can be reached";
            }
            return "no path from " + current + " to " + target.version()
                    + ": the minUpgradeFrom constraints of the releases in between cannot all be met";
        }
    }
}
