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

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.observability.ManagedUpgradeCache;
import dev.slipway.testing.Crds;
import dev.slipway.testing.InformerCache;
import dev.slipway.testing.StatusFixtures;
import dev.slipway.testing.WithoutOperatorProfile;
import dev.slipway.testing.cluster.AccessReviewDispatcher;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status API over HTTP, reading through {@link ManagedUpgradeCache} from an informer of the test's own (the
 * operator is not started, so no reconciler rewrites the statuses written here); {@code StatusApiCacheTest} shows the
 * same with the running controller's cache.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WithoutOperatorProfile.class)
class StatusApiTest {

    private static final String SHOP = "/api/v1/namespaces/api-a/managedupgrades/shop";
    private static final String READER_TOKEN = "reader-token";
    /** Bound to the viewer role in namespace api-a only. */
    private static final String SHOP_ONLY_TOKEN = "api-a-viewer-token";

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ManagedUpgradeCache cache;

    private static SharedIndexInformer<ManagedUpgrade> informer;

    @AfterAll
    static void stopInformer() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    @BeforeEach
    void resourcesWithStatus() {
        AccessReviewDispatcher.install(server.getKubernetesMockServer())
                .register(READER_TOKEN, "reader").register(SHOP_ONLY_TOKEN, "shop-viewer");
        client.resource(new ClusterRoleBuilder().withNewMetadata().withName("viewer").endMetadata().addNewRule()
                .withApiGroups("slipway.dev").withResources("managedupgrades").withVerbs("get", "list", "watch")
                .endRule().build()).createOr(NonDeletingOperation::update);
        client.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("reader").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "viewer").addNewSubject().withKind("User")
                .withName("reader").endSubject().build()).createOr(NonDeletingOperation::update);
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("shop-viewer").withNamespace("api-a")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "viewer").addNewSubject()
                .withKind("User").withName("shop-viewer").endSubject().build()).createOr(NonDeletingOperation::update);
        Crds.applyManagedUpgrade(client);
        StatusFixtures.createWithStatus(client, "api-a", "shop", StatusFixtures.upgrading());
        StatusFixtures.createWithStatus(client, "api-b", "crm", StatusFixtures.upToDate("4.2.0"));
        StatusFixtures.createWithStatus(client, "api-a", "wiki", StatusFixtures.upToDate("1.0.0"));
        if (informer == null) {
            informer = client.resources(ManagedUpgrade.class).inAnyNamespace().inform();
        }
        cache.readFrom(new InformerCache(informer));
        awaitCached("api-a", "shop");
        awaitCached("api-b", "crm");
        awaitCached("api-a", "wiki");
    }

    /** Until the informer has seen the resource as the API server stores it now (status included). */
    private void awaitCached(String namespace, String name) {
        String stored = client.resources(ManagedUpgrade.class).inNamespace(namespace).withName(name).get()
                .getMetadata().getResourceVersion();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> cache.get(namespace, name).map(r -> r.getMetadata().getResourceVersion()).orElse(""),
                        stored::equals);
    }

    @Test
    void listShowsEveryResourceOrderedByNamespaceAndName() {
        List<Map<String, Object>> items = reader().when().get("/api/v1/managedupgrades")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");

        assertThat(items).filteredOn(item -> List.of("api-a", "api-b").contains(item.get("namespace")))
                .extracting(item -> item.get("namespace") + "/" + item.get("name") + " " + item.get("phase"))
                .containsExactly("api-a/shop Upgrading", "api-a/wiki UpToDate", "api-b/crm UpToDate");
    }

    @Test
    void oneResourceShowsVersionsPlanProgressHopKOfNNextWindowLastPollAndHistory() {
        reader().when().get(SHOP).then().statusCode(200).contentType(ContentType.JSON)
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
                .body("history[0].requestedBy", equalTo("alice"))
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
        awaitCached("api-c", "held");

        reader().when().get("/api/v1/namespaces/api-c/managedupgrades/held").then().statusCode(200)
                .body("phase", equalTo("Failed"))
                .body("progress.result", equalTo("Failed"))
                .body("progress.failure.step", equalTo("Migrate 2.0.0"))
                .body("progress.failure.reason", equalTo("MigrationFailed"))
                .body("progress.failure.message", equalTo(status.getUpgrade().getFailureMessage()));
    }

    @Test
    void neitherTheSpecNorTheCheckpointInternalsAreShown() {
        String one = reader().when().get(SHOP).then().statusCode(200).extract().asString();
        String all = reader().when().get("/api/v1/managedupgrades").then().statusCode(200).extract().asString();
        String database = reader().when().get(SHOP + "/db/status").then().statusCode(200).extract().asString();

        for (String body : List.of(one, all, database)) {
            assertThat(body).doesNotContain(SampleApplication.DB_SECRET, StatusFixtures.SAVED_INGRESS_MARKER,
                    "adminSecretRef", "releaseSource", "feed.invalid", "originalIngress", "replicas");
        }
    }

    @Test
    void databaseStatusSummarisesTheLastVerificationWithoutSql() {
        JsonPath body = reader().when().get(SHOP + "/db/status").then().statusCode(200)
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
        reader().when().get("/api/v1/namespaces/api-b/managedupgrades/crm/db/status").then().statusCode(200)
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
        namedIn404.forEach((path, named) -> reader().when().get(path).then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("NotFound"))
                .body("error.message", containsString(named)));
    }

    @Test
    void aStatusChangeIsServedOnceTheInformerHasSeenIt() {
        reader().when().get("/api/v1/namespaces/api-b/managedupgrades/crm").then().statusCode(200)
                .body("phase", equalTo("UpToDate"));
        client.resources(ManagedUpgrade.class).inNamespace("api-b").withName("crm").editStatus(resource -> {
            resource.getStatus().setPhase(Phase.UpdateAvailable);
            return resource;
        });
        awaitCached("api-b", "crm");

        reader().when().get("/api/v1/namespaces/api-b/managedupgrades/crm").then().statusCode(200)
                .body("phase", equalTo("UpdateAvailable"));
    }

    @Test
    void withoutASyncedCacheEveryReadIs503WithRetryAfterAndAJsonError() {
        SharedIndexInformer<ManagedUpgrade> notStarted = client.resources(ManagedUpgrade.class).inAnyNamespace()
                .runnableInformer(0);
        cache.readFrom(new InformerCache(notStarted));

        for (String path : List.of("/api/v1/managedupgrades", SHOP, SHOP + "/db/status")) {
            reader().when().get(path).then().statusCode(503).header("Retry-After", "5")
                    .contentType(ContentType.JSON)
                    .body("error.code", equalTo("CacheNotSynced"))
                    .body("error.message", containsString("not synced its cache of ManagedUpgrades"));
        }
    }

    @Test
    void everyMethodButGetIsRefusedAndChangesNothing() {
        for (String path : List.of("/api/v1/managedupgrades", SHOP, SHOP + "/db/status", "/api/v1/anything")) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                reader().contentType(ContentType.JSON).body("{\"phase\":\"UpToDate\"}")
                        .when().request(method, path)
                        .then().statusCode(405).header("Allow", "GET, HEAD")
                        .body("error.code", equalTo("MethodNotAllowed"));
            }
        }
        reader().when().get(SHOP).then().statusCode(200).body("phase", equalTo("Upgrading"));
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

    @Test
    void withoutATokenEveryReadIs401AskingForABearerToken() {
        for (String path : List.of("/api/v1/managedupgrades", SHOP, SHOP + "/db/status")) {
            given().when().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .contentType(ContentType.JSON).body("error.code", equalTo("Unauthorized"));
        }
    }

    @Test
    void aTokenTheClusterRefusesIs401AndIsNotEchoed() {
        String body = given().auth().oauth2("forged-secret-token").when().get(SHOP).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").extract().asString();

        assertThat(body).doesNotContain("forged-secret-token");
    }

    @Test
    void aCallerSeesOnlyWhatRbacLetsThemGetAndTheRestIsIndistinguishableFromAbsent() {
        List<String> listed = given().auth().oauth2(SHOP_ONLY_TOKEN).when().get("/api/v1/managedupgrades").then()
                .statusCode(200).extract().jsonPath().getList("namespace");
        assertThat(listed).isNotEmpty().containsOnly("api-a");

        given().auth().oauth2(SHOP_ONLY_TOKEN).when().get(SHOP).then().statusCode(200);
        String hidden = given().auth().oauth2(SHOP_ONLY_TOKEN).when()
                .get("/api/v1/namespaces/api-b/managedupgrades/crm").then().statusCode(404).extract().asString();
        String absent = given().auth().oauth2(SHOP_ONLY_TOKEN).when()
                .get("/api/v1/namespaces/api-b/managedupgrades/nope").then().statusCode(404).extract().asString();
        assertThat(hidden.replace("crm", "nope")).isEqualTo(absent);
    }

    private static RequestSpecification reader() {
        return given().auth().oauth2(READER_TOKEN);
    }
}
