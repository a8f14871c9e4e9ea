package dev.slipway.http.page;

import static dev.slipway.http.page.PageStatusFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.page.PageStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page follows the ConfigMap the operator writes, through a real watch on a CRUD API server. */
@EnableKubernetesMockClient(crud = true)
class ConfigMapPageStatusSourceTest {

    private static final String NAMESPACE = "crm";
    private static final String NAME = "acme-crm-maintenance-page";

    KubernetesClient client;
    private Vertx vertx;
    private ConfigMapPageStatusSource source;
    private MaintenancePageServer server;
    private PageHttp http;

    @BeforeEach
    void startPage() {
        vertx = Vertx.vertx();
        source = new ConfigMapPageStatusSource(client, NAMESPACE, NAME).start();
        server = new MaintenancePageServer(vertx, source, CLOCK);
        http = new PageHttp(server.start(0));
    }

    @AfterEach
    void stopPage() {
        http.close();
        server.close();
        source.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void pageFollowsTheConfigMapAsTheOperatorRewritesIt() throws InterruptedException {
        assertThat(http.get("/").body()).contains("<h1>Maintenance in progress</h1>");
        http.subscribe();

        write(Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.migrating(1, null).toJson()));
        eventually(() -> assertThat(http.get("/").body()).contains(runningStep(PageStatusFixtures.hopLabel(1))));

        write(Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.migrating(2, null).toJson()));
        eventually(() -> assertThat(http.get("/").body()).contains(runningStep(PageStatusFixtures.hopLabel(2))));
        assertThat(http.nextEvent(event -> event.contains("Step 4 of 6"))).as("open pages are told without polling")
                .contains("Now: " + PageStatusFixtures.hopLabel(2));

        write(Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.failedAtHop(2, null).toJson()));
        eventually(() -> assertThat(http.get("/status.json").body()).contains("\"phase\":\"Failed\""));
    }

    @Test
    void unreadableOrMissingStatusShowsTheGenericPageNeverAnError() {
        write(Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.migrating(1, null).toJson()));
        eventually(() -> assertThat(http.get("/").body()).contains("Acme CRM is being upgraded"));

        write(Map.of(PageStatus.CONFIG_MAP_KEY, "{\"phase\": \"InProgress\", \"steps\": [trailing garbage"));
        eventually(() -> assertThat(http.get("/").body()).contains("<h1>Maintenance in progress</h1>"));
        assertThat(http.get("/").statusCode()).isEqualTo(503);

        write(Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.completed().toJson()));
        eventually(() -> assertThat(http.get("/").body()).contains("Acme CRM is ready"));

        client.configMaps().inNamespace(NAMESPACE).withName(NAME).delete();
        eventually(() -> assertThat(http.get("/").body()).contains("<h1>Maintenance in progress</h1>"));
    }

    @Test
    void onlyTheStatusKeyOfItsOwnConfigMapIsRead() {
        String password = "s3cret-Admin-Pa55";
        client.configMaps().inNamespace("other").resource(configMap("other", NAME,
                Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.failedAtHop(1, null).toJson()))).create();
        write(Map.of(PageStatus.CONFIG_MAP_KEY, PageStatusFixtures.migrating(3, null).toJson(),
                "admin-password", password, "database-url", "jdbc:postgresql://crm-db.crm.svc:5432/crm"));

        eventually(() -> assertThat(http.get("/").body()).contains(runningStep(PageStatusFixtures.hopLabel(3))));
        assertThat(http.get("/").body() + http.get("/status.json").body())
                .doesNotContain(password, "crm-db", "jdbc:", "Upgrade stopped");
    }

    private void write(Map<String, String> data) {
        var configMaps = client.configMaps().inNamespace(NAMESPACE);
        if (configMaps.withName(NAME).get() == null) {
            configMaps.resource(configMap(NAMESPACE, NAME, data)).create();
        } else {
            configMaps.withName(NAME).edit(current -> new ConfigMapBuilder(current).withData(data).build());
        }
    }

    private static ConfigMap configMap(String namespace, String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build();
    }

    private static String runningStep(String label) {
        return "<li class=\"step step-running\"><span class=\"icon\" aria-hidden=\"true\"></span>"
                + "<span class=\"step-label\">" + label + "</span>";
    }

    private static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw notYet;
                }
            }
        }
    }
}
