package dev.slipway.bench;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the benchmarks that upgrade the sample shop with the packaged operator share (P2, P8 downtime): the operator
 * process as in a fresh pod, and waiting for an upgrade's end while saying why when the operator stops.
 */
final class ShopUpgradeRuns {

    static final String RESOURCE = "shop";
    private static final Duration UPGRADE_LIMIT = Duration.ofMinutes(2);
    /** Extra JVM options for the operator (space-separated), for example a flight recording while profiling. */
    private static final String OPERATOR_JVM_OPTIONS = "slipway.bench.operator.jvmOptions";

    private ShopUpgradeRuns() {
    }

    /**
     * The packaged operator with the container's JVM options (plus any given for profiling) and a temporary directory
     * of its own, so migration bundles are downloaded as in a fresh pod.
     */
    static OperatorProcess launchOperator(Path jar, String apiServerUrl, Path temporaryDirectory) throws IOException {
        List<String> options = new ArrayList<>(OperatorProcess.AS_IN_CONTAINER);
        String extra = System.getProperty(OPERATOR_JVM_OPTIONS, "").trim();
        if (!extra.isEmpty()) {
            options.addAll(Arrays.asList(extra.split("\\s+")));
        }
        options.add("-Djava.io.tmpdir=" + temporaryDirectory);
        return OperatorProcess.launch(jar, apiServerUrl, options);
    }

    /** The last history entry of the shop's ManagedUpgrade in {@code namespace}, once there is one. */
    static HistoryEntry awaitHistory(KubernetesClient client, String namespace, OperatorProcess operator)
            throws Exception {
        HistoryEntry[] entry = new HistoryEntry[1];
        await(() -> {
            ManagedUpgrade resource = client.resources(ManagedUpgrade.class).inNamespace(namespace).withName(RESOURCE)
                    .get();
            List<HistoryEntry> history = resource.getStatus() == null ? null : resource.getStatus().getHistory();
            entry[0] = history == null || history.isEmpty() ? null : history.get(history.size() - 1);
            return entry[0] != null;
        }, operator, "the upgrade in " + namespace + " to end");
        return entry[0];
    }

    static void await(BooleanSupplier condition, OperatorProcess operator, String what) throws Exception {
        long deadline = System.nanoTime() + UPGRADE_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!operator.process().isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " (operator "
                        + (operator.process().isAlive() ? "running" : "exited") + "):\n" + operator.log());
            }
            Thread.sleep(100);
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
