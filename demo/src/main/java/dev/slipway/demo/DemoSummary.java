package dev.slipway.demo;

import dev.slipway.core.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the demo's upgrade did, as the closing lines of the show: one kind per way it may end as Slipway designed it
 * (upgraded, installed, or rolled back with the backup restored).
 */
public sealed interface DemoSummary permits DemoSummary.Upgraded, DemoSummary.Installed, DemoSummary.Restored {

    String VISITOR = "seen by a visitor polling the shop every 20 ms";

    List<String> lines();

    /**
     * Why the application is not as this ending promises, for an error and exit code 1; empty when it is.
     */
    Optional<String> problem();

    /**
     * The upgrade succeeded.
     *
     * @param downtime how long a visitor polling the shop got the page or an error instead of the shop
     */
    record Upgraded(String from, String to, List<String> path, Duration took, List<String> migrationsApplied,
            String schemaVersion, boolean ingressRestored, Map<String, Integer> replicasBefore,
            Map<String, Integer> replicasAfter, Duration downtime) implements DemoSummary {

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("Upgrade succeeded: " + from + " -> " + to);
            lines.add("  path:        " + from + " -> " + String.join(" -> ", path) + " (" + path.size() + " hops)");
            lines.add("  duration:    " + seconds(took));
            lines.add("  downtime:    " + downtimeText(downtime));
            lines.add("  migrations:  " + migrations(migrationsApplied, schemaVersion));
            lines.add("  ingress:     " + ingress(ingressRestored));
            lines.add("  replicas:    " + replicas(replicasBefore, replicasAfter));
            return lines;
        }

        @Override
        public Optional<String> problem() {
            return ingressRestored && replicasBefore.equals(replicasAfter) ? Optional.empty()
                    : Optional.of("the upgrade reached " + to + " but did not leave the Ingress and replicas as it "
                            + "found them (see the summary)");
        }
    }

    /**
     * A first install: nothing was served before, so there is no downtime to measure.
     *
     * @param path             the releases whose bundles were applied, in order
     * @param ingressUntouched the Ingress is as before and no maintenance page was put up
     * @param replicasDeclared what the ManagedUpgrade declares each component starts with
     * @param images           each component's image tag now
     * @param firstServed      how long after the install began a visitor first got the shop, if it has yet
     */
    record Installed(String to, List<String> path, Duration took, List<String> migrationsApplied,
            String schemaVersion, boolean ingressUntouched, Map<String, Integer> replicasDeclared,
            Map<String, Integer> replicasAfter, Map<String, String> images, Optional<Duration> firstServed)
            implements DemoSummary {

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("Installed: none -> " + to + " (first install: the database was empty)");
            lines.add("  path:        the bundles of " + String.join(" -> ", path) + " in order; the shop started only "
                    + "at " + to);
            lines.add("  duration:    " + seconds(took));
            lines.add("  downtime:    none: nothing was served before the install" + firstServed
                    .map(after -> " (the visitor first got the shop " + seconds(after) + " after it began)")
                    .orElse(""));
            lines.add("  migrations:  " + migrations(migrationsApplied, schemaVersion));
            lines.add("  images:      " + describe(images) + (images.values().stream().allMatch(to::equals) ? ""
                    : " (NOT all at " + to + ")"));
            lines.add("  ingress:     " + (ingressUntouched ? "untouched: no maintenance page was put up"
                    : "CHANGED by the install"));
            lines.add("  replicas:    " + describe(replicasAfter) + (replicasAfter.equals(replicasDeclared)
                    ? " (from 0, as spec.application.components[].replicas declares)"
                    : " (declared: " + describe(replicasDeclared) + ")"));
            return lines;
        }

        @Override
        public Optional<String> problem() {
            if (!images.values().stream().allMatch(to::equals) || !replicasAfter.equals(replicasDeclared)) {
                return Optional.of("the install reached " + to + " but the images or replicas are not as declared "
                        + "(see the summary)");
            }
            return ingressUntouched ? Optional.empty()
                    : Optional.of("the install changed the Ingress, which nothing served before needed");
        }
    }

    /**
     * A migration failed after earlier hops committed and Slipway put the backup in the database's place.
     *
     * @param failedStep     the step that failed, e.g. "Migrate 2.0.0"
     * @param committed      the hops whose migrations had committed before it
     * @param backup         the backup database's name
     * @param failedDatabase the name the failed database is kept under
     * @param schemaExpected the schema of {@code from}, which the restored database must be at
     * @param images         each component's image tag now
     */
    record Restored(String from, String to, String failedStep, String failureReason, List<String> path,
            List<String> committed, Duration took, String backup, long backupBytes, String failedDatabase,
            RowComparison orders, String schemaVersion, String schemaExpected, Map<String, String> images,
            boolean ingressRestored, Map<String, Integer> replicasBefore, Map<String, Integer> replicasAfter,
            Duration downtime) implements DemoSummary {

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("Upgrade rolled back and database restored: " + from + " -> " + to + " failed at " + failedStep
                    + " (" + failureReason + ")");
            lines.add("  path:        " + from + " -> " + String.join(" -> ", path) + " (" + path.size() + " hops; "
                    + (committed.isEmpty() ? "none" : String.join(", ", committed)) + " had committed)");
            lines.add("  backup:      " + backup + ", " + ByteSize.text(backupBytes) + ", taken before the first "
                    + "migration, now the database again");
            lines.add("  kept:        the failed database as " + failedDatabase + ", for inspection");
            lines.add("  data:        " + orders.describe("orders", "before the upgrade"));
            lines.add("  schema:      " + schemaVersion + (schemaVersion.equals(schemaExpected) ? " (" + from + "'s)"
                    : " (NOT " + from + "'s schema " + schemaExpected + ")"));
            lines.add("  images:      " + describe(images) + (images.values().stream().allMatch(from::equals)
                    ? " (as before the upgrade)" : " (NOT all back at " + from + ")"));
            lines.add("  duration:    " + seconds(took));
            lines.add("  downtime:    " + downtimeText(downtime));
            lines.add("  ingress:     " + ingress(ingressRestored));
            lines.add("  replicas:    " + replicas(replicasBefore, replicasAfter));
            return lines;
        }

        @Override
        public Optional<String> problem() {
            if (!orders.identical()) {
                return Optional.of("the backup was restored, but the orders differ from before the upgrade (see the "
                        + "summary)");
            }
            if (!schemaVersion.equals(schemaExpected) || !images.values().stream().allMatch(from::equals)) {
                return Optional.of("the backup was restored, but the schema or images are not back at " + from
                        + " (see the summary)");
            }
            return ingressRestored && replicasBefore.equals(replicasAfter) ? Optional.empty()
                    : Optional.of("the backup was restored, but the Ingress and replicas are not as the upgrade found "
                            + "them (see the summary)");
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }

    private static String downtimeText(Duration downtime) {
        return (downtime.isZero() ? "0 s" : String.format(Locale.ROOT, "%.1f s", downtime.toMillis() / 1000.0))
                + " (" + VISITOR + ")";
    }

    private static String migrations(List<String> applied, String schemaVersion) {
        return applied.size() + " applied (" + String.join(", ", applied) + "), database at schema " + schemaVersion;
    }

    private static String ingress(boolean restored) {
        return restored ? "restored exactly as before the upgrade" : "NOT restored: it differs from before the upgrade";
    }

    private static String replicas(Map<String, Integer> before, Map<String, Integer> after) {
        return describe(after) + (before.equals(after) ? " (as before the upgrade)"
                : " (before the upgrade: " + describe(before) + ")");
    }

    private static String describe(Map<String, ?> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
