package dev.slipway.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the demo's upgrade did, as the closing lines of the show.
 *
 * @param downtime how long a visitor polling the shop got the page or an error instead of the shop
 */
public record DemoSummary(String from, String to, List<String> path, Duration took, List<String> migrationsApplied,
        String schemaVersion, boolean ingressRestored, Map<String, Integer> replicasBefore,
        Map<String, Integer> replicasAfter, Duration downtime) {

    /** Whether the application ended as it started, apart from the version: same traffic routing, same replicas. */
    public boolean applicationRestored() {
        return ingressRestored && replicasBefore.equals(replicasAfter);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Upgrade succeeded: " + from + " -> " + to);
        lines.add("  path:        " + from + " -> " + String.join(" -> ", path) + " (" + path.size() + " hops)");
        lines.add("  duration:    " + String.format(Locale.ROOT, "%.1fs", took.toMillis() / 1000.0));
        lines.add("  downtime:    " + (downtime.isZero() ? "0 s" : String.format(Locale.ROOT, "%.1f s",
                downtime.toMillis() / 1000.0)) + " (seen by a visitor polling the shop every 20 ms)");
        lines.add("  migrations:  " + migrationsApplied.size() + " applied (" + String.join(", ", migrationsApplied)
                + "), database at schema " + schemaVersion);
        lines.add("  ingress:     " + (ingressRestored ? "restored exactly as before the upgrade"
                : "NOT restored: it differs from before the upgrade"));
        lines.add("  replicas:    " + describe(replicasAfter) + (replicasBefore.equals(replicasAfter)
                ? " (as before the upgrade)" : " (before the upgrade: " + describe(replicasBefore) + ")"));
        return lines;
    }

    private static String describe(Map<String, Integer> replicas) {
        return replicas.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
