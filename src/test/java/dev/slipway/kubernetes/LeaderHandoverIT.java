package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.Crds;
import dev.slipway.testing.ShopFixture;
import dev.slipway.testing.cluster.RealisticApiServer;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged operator ({@code java -jar target/quarkus-app/quarkus-run.jar operator}) run twice with leader
 * election, as two pods of the chart, against the fabric8 CRUD API server in this JVM: the leader, stopped with
 * SIGTERM in the middle of an upgrade, exits 0 within 10 s having released the Lease, and the standby takes the Lease
 * and finishes that upgrade from the checkpoint in status. An integration test: it needs the jar, so it runs in
 * {@code verify} after {@code package}, and is skipped with a notice without it.
 */
class LeaderHandoverIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** What the issue allows a SIGTERM'd operator, well inside Kubernetes' default 30 s grace period. */
    static final Duration EXIT_BOUND = Duration.ofSeconds(10);
    private static final String LEASE_NAMESPACE = "slipway-system";
    /** SlipwayConfig's default, as the packaged operator uses it without SLIPWAY_LEADER_ELECTION_LEASE_NAME. */
    private static final String LEASE = "slipway-leader";
    /** Generous: the JVM starts in seconds, but this machine may be shared with other builds. */
    private static final Duration PROCESS_START_LIMIT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void packagedOperator() {
        if (!Files.isRegularFile(JAR)) {
            String notice = "LeaderHandoverIT SKIPPED: no packaged operator at " + JAR
                    + " (it runs in ./mvnw verify, after package)";
            System.err.println(notice);
            Assumptions.assumeTrue(false, notice);
        }
    }

    /** Closed in reverse order: the operators before the API server they talk to. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeInReverse() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T resource) {
        opened.add(resource);
        return resource;
    }

    @Test
    void sigtermEndsTheLeaderWithCodeZeroAndTheStandbyTakesTheLeaseAndFinishesItsUpgrade(@TempDir Path work)
            throws Exception {
        RealisticApiServer api = opened(RealisticApiServer.plainCrud());
        KubernetesClient client = api.client();
        // pods take a second to start and stop, so the upgrade is still running when the leader is stopped
        opened(new SimulatedKubelet(client, Duration.ofSeconds(1)).start());
        ShopFixture shop = opened(new ShopFixture(client, "shop", new SampleApplication()));
        Crds.applyManagedUpgrade(client);
        grantLeaseAccess(api);

        OperatorProcess first = opened(OperatorProcess.launch("operator-a", api, work));
        awaitHolder(client, "operator-a", first);
        // started once the first leads, so the roles are known; Ready as a standby (informers synced)
        OperatorProcess second = opened(OperatorProcess.launch("operator-b", api, work));
        second.awaitReady();
        assertThat(holder(client)).as("the standby waits").isEqualTo("operator-a");

        Ingress originalIngress = shop.ingress();
        client.resource(shop.resource("shop")).create();
        // stopped with the shop behind the maintenance page: traffic swapped, workloads being stopped
        ManagedUpgrade running = awaitStatus(client, shop, first, resource -> resource.getStatus().getUpgrade()
                != null && resource.getStatus().getUpgrade().getStep() != null
                && resource.getStatus().getUpgrade().getStep().compareTo(UpgradeStep.Quiesce) >= 0);
        String startedAt = running.getStatus().getUpgrade().getStartedAt();

        long sigterm = System.nanoTime();
        first.process.destroy();
        assertThat(first.process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS))
                .as("the leader exits within %s of SIGTERM:%n%s", EXIT_BOUND, first.log()).isTrue();
        long exited = System.nanoTime();
        assertThat(first.process.exitValue()).as("exit code after SIGTERM:%n%s", first.log()).isZero();
        assertThat(holder(client)).as("the leader released the Lease before exiting:%n%s", first.log())
                .isNotEqualTo("operator-a");
        UpgradeProgress atHandover = get(client, shop).getStatus().getUpgrade();
        assertThat(atHandover).as("the upgrade is still in progress when the leader has gone").isNotNull();

        awaitHolder(client, "operator-b", second);
        long takenOver = System.nanoTime();
        System.err.printf("LeaderHandoverIT: SIGTERM to exit %d ms; exit to Lease taken by the standby %d ms;"
                + " the leader stopped at %s (hop %s)%n", TimeUnit.NANOSECONDS.toMillis(exited - sigterm),
                TimeUnit.NANOSECONDS.toMillis(takenOver - exited), atHandover.getStep(), atHandover.getHop());

        ManagedUpgrade done = awaitStatus(client, shop, second, resource -> resource.getStatus().getHistory()
                != null && !resource.getStatus().getHistory().isEmpty());
        HistoryEntry upgrade = done.getStatus().getHistory().get(0);
        assertThat(upgrade.result()).as(second.log()).isEqualTo(UpgradeResult.Succeeded);
        assertThat(upgrade.startedAt()).as("the same upgrade, resumed, not a new one").isEqualTo(startedAt);
        assertThat(upgrade.path()).containsExactly("1.1.0", "1.2.0", "2.0.0");
        assertThat(done.getStatus().getCurrentVersion()).isEqualTo("2.0.0");
        assertThat(done.getStatus().getUpgrade()).isNull();
        assertThat(shop.appliedMigrations()).as("each migration once").containsExactly("1", "2", "3", "4");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "2.0.0"));
        assertThat(shop.replicas("web")).as("replicas restored").isEqualTo(2);
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .as("traffic back on the shop").isEqualTo(client.getKubernetesSerialization().asJson(
                        originalIngress.getSpec()));
    }

    /** JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which only a real API server evaluates. */
    private static void grantLeaseAccess(RealisticApiServer api) {
        api.server().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                                .withResources("leases").withVerbs("get", "create", "update").build())
                        .endStatus().build())
                .always();
    }

    private static void awaitHolder(KubernetesClient client, String identity, OperatorProcess operator) {
        try {
            Awaitility.await().atMost(PROCESS_START_LIMIT).pollInterval(Duration.ofMillis(50))
                    .failFast(operator::requireAlive)
                    .until(() -> identity.equals(holder(client)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(identity + " did not take the Lease within " + PROCESS_START_LIMIT
                    + " (holder: " + holder(client) + "); its log:\n" + operator.log(), e);
        }
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static ManagedUpgrade get(KubernetesClient client, ShopFixture shop) {
        return client.resources(ManagedUpgrade.class).inNamespace(shop.namespace).withName("shop").get();
    }

    private static ManagedUpgrade awaitStatus(KubernetesClient client, ShopFixture shop, OperatorProcess operator,
            Predicate<ManagedUpgrade> condition) {
        return Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .failFast(operator::requireAlive)
                .until(() -> get(client, shop), resource -> resource != null && resource.getStatus() != null
                        && condition.test(resource));
    }

    /** One packaged operator, configured through the environment as the chart's Deployment configures its pods. */
    private record OperatorProcess(Process process, int port, Path logFile) implements AutoCloseable {

        static OperatorProcess launch(String podName, RealisticApiServer api, Path work) throws IOException {
            int port = freePort();
            Path log = work.resolve(podName + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-jar", JAR.toString(), "operator")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.remove("KUBECONFIG");
            environment.putAll(Map.of(
                    "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", api.client().getMasterUrl().toString(),
                    "QUARKUS_HTTP_PORT", String.valueOf(port),
                    "SLIPWAY_LEADER_ELECTION_ENABLED", "true",
                    "POD_NAMESPACE", LEASE_NAMESPACE,
                    "HOSTNAME", podName,
                    "SLIPWAY_ARTIFACTS_DIRECTORY", work.resolve(podName + "-artifacts").toString()));
            return new OperatorProcess(builder.start(), port, log);
        }

        /** Waits for 200 from /q/health/ready: a standby is Ready once its informers have synced. */
        void awaitReady() {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            Awaitility.await().atMost(PROCESS_START_LIMIT).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .failFast(this::requireAlive)
                    .until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }

        /** Ends a wait at once, with the operator's log, when the process has exited. */
        void requireAlive() {
            if (!process.isAlive()) {
                throw new AssertionError("the operator exited with " + process.exitValue() + ":\n" + log());
            }
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
