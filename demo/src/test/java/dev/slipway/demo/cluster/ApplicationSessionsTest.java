package dev.slipway.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.demo.LocalPostgres;
import dev.slipway.testing.PostgresServer;
import dev.slipway.testing.cluster.RealisticApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample application's Pods hold real PostgreSQL sessions while they run, through their whole termination grace
 * period (the application drains on SIGTERM and exits only at the end:
 * kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination), and not a moment longer.
 */
class ApplicationSessionsTest {

    private final LocalPostgres.Database database = PostgresServer.get().createDatabase("sessions");
    private RealisticApiServer server;
    private KubernetesClient client;
    private WorkloadControllers controllers;
    private ApplicationSessions sessions;

    @BeforeEach
    void start() {
        server = RealisticApiServer.plainCrud();
        client = server.client();
        sessions = new ApplicationSessions(database.connection(), ApplicationSessions.labelled("shop", "app", "web"));
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(2))
                .podHook(sessions).start();
    }

    @AfterEach
    void stop() {
        controllers.close();
        sessions.close();
        server.close();
    }

    @Test
    void aSessionExistsWhileThePodRunsAndIsGoneAfterItTerminated() {
        client.resource(DeploymentEmulationTest.deployment("web", "acme/web:1.0", 2)).create();
        client.resource(DeploymentEmulationTest.deployment("worker", "acme/worker:1.0", 1)).create();

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(this::applicationSessions, names -> names.size() == 2);
        List<String> podNames = client.pods().inNamespace("shop").withLabel("app", "web").list().getItems().stream()
                .map(pod -> pod.getMetadata().getName()).toList();
        assertThat(applicationSessions()).as("one session per web Pod, named after it; the worker holds none")
                .containsExactlyInAnyOrderElementsOf(podNames);
        assertThat(sessions.podsWithSessions()).containsExactlyInAnyOrderElementsOf(podNames);

        client.apps().deployments().inNamespace("shop").withName("web").scale(0);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.pods().inNamespace("shop")
                .withLabel("app", "web").list().getItems(), pods -> pods.stream()
                        .allMatch(pod -> pod.getMetadata().getDeletionTimestamp() != null));
        assertThat(applicationSessions()).as("terminating Pods still hold their sessions").hasSize(2);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(this::applicationSessions, List::isEmpty);
        // the session closes as the Pod's containers stop, and the Pod object goes right after (finalizer removed)
        Awaitility.await("the Pods finish terminating with their sessions").atMost(Duration.ofSeconds(5))
                .until(() -> client.pods().inNamespace("shop").withLabel("app", "web").list().getItems(),
                        List::isEmpty);
    }

    /** application_name of the sessions of the application's role in its database, as an admin sees them. */
    private List<String> applicationSessions() {
        try (Connection admin = PostgresServer.get().adminConnection().open();
                PreparedStatement query = admin.prepareStatement(
                        "SELECT application_name FROM pg_stat_activity WHERE usename = ? AND datname = ?")) {
            query.setString(1, database.user());
            query.setString(2, database.name());
            List<String> names = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
