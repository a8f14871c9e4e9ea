package dev.slipway.http.api;

import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.api.v1alpha1.status.Phase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.demo.SampleApplication;
import dev.slipway.testing.Crds;
import dev.slipway.testing.StatusFixtures;
import dev.slipway.testing.WithoutOperatorProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WithoutOperatorProfile.class)
class StatusApiTest {

    private static final String SHOP = "/api/v1/namespaces/api-a/managedupgrades/shop";

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @BeforeEach
    void resourcesWithStatus() {
        Crds.applyManagedUpgrade(client);
        StatusFixtures.createWithStatus(client, "api-a", "shop", StatusFixtures.upgrading());
        StatusFixtures.createWithStatus(client, "api-b", "crm", StatusFixtures.upToDate("4.2.0"));
        StatusFixtures.createWithStatus(client, "api-a", "wiki", StatusFixtures.upToDate("1.0.0"));
    }

    @Test
    void listShowsEveryResourceOrderedByNamespaceAndName() {
        List<Map<String, Object>> items = given().when().get("/api/v1/managedupgrades")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");

        assertThat(items).filteredOn(item -> List.of("api-a", "api-b").contains(item.get("namespace")))
                .extracting(item -> item.get("namespace") + "/" + item.get("name") + " " + item.get("phase"))
                .containsExactly("api-a/shop Upgrading", "api-a/wiki UpToDate", "api-b/crm UpToDate");
    }

    @Test
    void oneResourceShowsVersionsPlanProgressHopKOfNNextWindowLastPollAndHistory() {
        given().when().get(SHOP).then().statusCode(200).contentType(ContentType.JSON)
                .body("namespace", equalTo("api-a"))
                .body("name", equalTo("shop"))
                .body("phase", equalTo("Upgrading"))
                .body("currentVersion", equalTo("1.0.0"))
                .body("targetVersion", equalTo("2.0.0"))
                .body("latestVersion", equalTo("2.0.1"))
                .body("availableUpdates", contains("1.1.0", "1.2.0", "2.0.0"))
                .body("plan.target", equalTo("2.0.0"))
                .body("plan.hops.version", contains("1.2.0", "2.0.0"))
                .body("plan.hops.reason", contains("RequiredStop", "Target"))
                .body("progress.from", equalTo("1.0.0"))
                .body("progress.to", equalTo("2.0.0"))
                .body("progress.step", equalTo("Migrate 2.0.0"))
                .body("progress.hop", equalTo(1)) // 0-based, exactly as status.upgrade.hop in the resource
                .body("progress.hops", equalTo(2))
                .body("progress.startedAt", equalTo("2026-11-26T02:00:00Z"))
                .body("progress.result", nullValue())
                .body("progress.failure", nullValue())
                .body("nextWindow.start", equalTo("2026-11-28T01:00:00Z"))
                .body("nextWindow.end", equalTo("2026-11-28T05:00:00Z"))
                .body("lastFeedPoll.result", equalTo("Ok"))
                .body("history.result", contains("Succeeded"))
                .body("history[0].path", contains("1.0.0"))
                .body("history[0].steps.name", contains("Migrate 1.0.0"));
    }

    @Test
    void aFailedUpgradeShowsTheFailedStepAndReason() {
        var status = StatusFixtures.upgrading();
        status.setPhase(Phase.Failed);
        status.getUpgrade().setResult(UpgradeResult.Failed);
        status.getUpgrade().setFailedStep(UpgradeStep.Migrate);
        status.getUpgrade().setFailedHop(1);
        status.getUpgrade().setFailureReason(UpgradeFailure.MigrationFailed);
        status.getUpgrade().setFailureMessage("migration 4 of 2.0.0 failed: relation \"orders\" does not exist");
        StatusFixtures.createWithStatus(client, "api-c", "held", status);

        given().when().get("/api/v1/namespaces/api-c/managedupgrades/held").then().statusCode(200)
                .body("phase", equalTo("Failed"))
                .body("progress.result", equalTo("Failed"))
                .body("progress.failure.step", equalTo("Migrate 2.0.0"))
                .body("progress.failure.reason", equalTo("MigrationFailed"))
                .body("progress.failure.message", equalTo(status.getUpgrade().getFailureMessage()));
    }

    @Test
    void neitherTheSpecNorTheCheckpointInternalsAreShown() {
        String one = given().when().get(SHOP).then().statusCode(200).extract().asString();
        String all = given().when().get("/api/v1/managedupgrades").then().statusCode(200).extract().asString();
        String database = given().when().get(SHOP + "/db/status").then().statusCode(200).extract().asString();

        for (String body : List.of(one, all, database)) {
            assertThat(body).doesNotContain(SampleApplication.DB_SECRET, StatusFixtures.SAVED_INGRESS_MARKER,
                    "adminSecretRef", "releaseSource", "feed.invalid", "originalIngress", "replicas");
        }
    }

    @Test
    void databaseStatusSummarisesTheLastVerificationWithoutSql() {
        JsonPath body = given().when().get(SHOP + "/db/status").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("verified", equalTo(true))
                .body("schemaVersion", equalTo("3"))
                .body("verifiedAt", equalTo("2026-11-26T01:59:30Z"))
                .body("blocking", equalTo(true))
                .body("findingCount", equalTo(2))
                .body("findingsBySeverity.Blocking", equalTo(1))
                .body("findingsBySeverity.Warning", equalTo(1))
                .body("findings.object", contains("public.orders.total", "public.orders_by_day"))
                .extract().jsonPath();

        assertThat(body.prettify()).doesNotContain("ALTER TABLE", "DROP INDEX");
    }

    @Test
    void databaseStatusOfAnUnverifiedResourceSaysSo() {
        given().when().get("/api/v1/namespaces/api-b/managedupgrades/crm/db/status").then().statusCode(200)
                .body("verified", equalTo(false))
                .body("schemaVersion", nullValue())
                .body("findings", empty());
    }

    @Test
    void unknownResourcesAre404WithAJsonError() {
        Map<String, String> namedIn404 = Map.of(
                "/api/v1/namespaces/api-a/managedupgrades/nope", "api-a/nope",
                "/api/v1/namespaces/nowhere/managedupgrades/shop", "nowhere/shop",
                "/api/v1/namespaces/api-a/managedupgrades/nope/db/status", "api-a/nope");
        namedIn404.forEach((path, named) -> given().when().get(path).then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("NotFound"))
                .body("error.message", containsString(named)));
    }

    @Test
    void aRefusedReadIsA503WithAJsonErrorAndNoServerDetails() {
        server.expect().get().withPath("/apis/slipway.dev/v1alpha1/namespaces/api-down/managedupgrades/shop")
                .andReturn(403, "{\"kind\":\"Status\",\"message\":\"forbidden by 10.0.0.7 for user system:serviceaccount:x\"}")
                .always();

        String body = given().when().get("/api/v1/namespaces/api-down/managedupgrades/shop").then().statusCode(503)
                .header("Retry-After", "10").contentType(ContentType.JSON)
                .body("error.code", equalTo("ApiServerUnavailable"))
                .extract().asString();
        assertThat(body).doesNotContain("10.0.0.7", "system:serviceaccount", "localhost");
    }

    @Test
    void everyMethodButGetIsRefusedAndChangesNothing() {
        for (String path : List.of("/api/v1/managedupgrades", SHOP, SHOP + "/db/status", "/api/v1/anything")) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                given().contentType(ContentType.JSON).body("{\"phase\":\"UpToDate\"}")
                        .when().request(method, path)
                        .then().statusCode(405).header("Allow", "GET, HEAD")
                        .body("error.code", equalTo("MethodNotAllowed"));
            }
        }
        given().when().get(SHOP).then().statusCode(200).body("phase", equalTo("Upgrading"));
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoints() {
        JsonPath openapi = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();

        Map<String, Map<String, ?>> paths = openapi.getMap("paths");
        assertThat(paths.keySet()).filteredOn(path -> path.startsWith("/api/")).containsExactlyInAnyOrder(
                "/api/v1/managedupgrades",
                "/api/v1/namespaces/{namespace}/managedupgrades/{name}",
                "/api/v1/namespaces/{namespace}/managedupgrades/{name}/db/status");
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                assertThat(operations).as(path).containsOnlyKeys("get");
            }
        });
        assertThat(openapi.getString("paths.'/api/v1/namespaces/{namespace}/managedupgrades/{name}'.get.summary"))
                .isEqualTo("Get one managed application");
        assertThat(openapi.getString("components.schemas.Progress.properties.hop.description"))
                .isEqualTo("Index of the hop in progress (0-based), as in the resource's status.upgrade.hop.");
        assertThat(openapi.getMap("components.schemas")).containsKeys("ManagedUpgrade", "DatabaseStatus", "Error");
    }
}
