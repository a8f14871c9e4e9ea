package dev.slipway.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an upgrade that did not complete left the shop, and what an administrator does next, as the closing lines
 * of a failure rehearsal: held behind the maintenance page after a hop committed, or rolled back to where it started.
 *
 * @param heldBehindPage  true when a hop had committed, so the shop stays behind the page (result Failed); false when
 *                        the upgrade was rolled back
 * @param from            the version the upgrade started from
 * @param failedStep      the step that failed, e.g. "Migrate 1.2.0"
 * @param failureReason   its typed reason, e.g. MigrationFailed
 * @param databaseRelease the release whose schema the database is at
 * @param databaseSchema  that schema version
 */
public record UpgradeStanding(boolean heldBehindPage, String from, String failedStep, String failureReason,
        String databaseRelease, String databaseSchema) {

    /**
     * @param kubeconfig   the demo cluster's kubeconfig, for the kubectl commands
     * @param stillRunning whether the demo keeps running (--keep-running), so the commands can be tried now
     */
    public List<String> lines(Path kubeconfig, boolean stillRunning) {
        List<String> lines = new ArrayList<>();
        String database = "the database is at " + databaseRelease + " (schema " + databaseSchema + ")";
        if (heldBehindPage) {
            lines.add("Where things stand: the shop is behind the maintenance page. " + failedStep + " failed ("
                    + failureReason + ") after earlier hops had committed: " + database + ", so Slipway cannot "
                    + "roll back by itself and waits for an administrator.");
        } else {
            lines.add("Where things stand: the upgrade was rolled back. " + failedStep + " failed (" + failureReason
                    + ") before any migration committed, so Slipway put the images, replicas and Ingress back: the "
                    + "shop serves its own traffic at " + from + " again and " + database + ".");
        }
        lines.add("What to do" + (heldBehindPage ? " (one of):" : ":"));
        lines.add("  retry " + (heldBehindPage ? "from the failed step" : "the upgrade") + ", once the cause is fixed:");
        lines.add("    " + action(kubeconfig, "retry"));
        if (heldBehindPage) {
            lines.add("  abandon the upgrade: traffic goes back to the shop, the database stays at " + databaseRelease
                    + ":");
            lines.add("    " + action(kubeconfig, "abandon"));
        }
        lines.add("  (In this rehearsal the migration stays broken, so a retry fails the same way.)");
        if (!stillRunning) {
            lines.add("  These act on a running demo: start it with --keep-running to try them.");
        }
        return lines;
    }

    /** The kubectl command that sets {@code spec.actions.<action>}; any value it has not had before triggers it. */
    static String action(Path kubeconfig, String action) {
        return "kubectl --kubeconfig " + kubeconfig + " -n " + ShopDemo.NAMESPACE + " patch managedupgrade "
                + ShopDemo.RESOURCE_NAME + " --type merge -p '{\"spec\":{\"actions\":{\"" + action + "\":\"1\"}}}'";
    }
}
