package dev.slipway.http.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.testing.OperatorTestBase;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The status API of a running operator reads the controller's informer cache: its requests cost the API server no
 * read of ManagedUpgrades (only the caller's reviews), and what the informer sees is what it answers.
 */
@QuarkusTest
@WithKubernetesTestServer
class StatusApiCacheTest extends OperatorTestBase {

    private static final String NAMESPACE = "api-cache";
    private static final String SHOP = "/api/v1/namespaces/" + NAMESPACE + "/managedupgrades/shop";

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void readsAreServedFromTheInformerCacheWithoutReadingManagedUpgradesFromTheApiServer() throws Exception {
        String token = statusReaderToken();
        namespace(NAMESPACE);
        client.resource(managedUpgrade(NAMESPACE, "shop", "http://127.0.0.1:1/releases", "acme-shop", "1.0.0"))
                .create();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                given().auth().oauth2(token).when().get(SHOP).statusCode() == 200);

        requestsSince();
        for (String path : List.of("/api/v1/managedupgrades", SHOP, SHOP + "/db/status",
                "/api/v1/namespaces/" + NAMESPACE + "/managedupgrades/absent")) {
            given().auth().oauth2(token).when().get(path).then().statusCode(path.endsWith("absent") ? 404 : 200);
        }
        // a read the log must show, so an empty log cannot pass for a quiet API server
        client.namespaces().withName(NAMESPACE).get();

        List<String> requests = requestsSince();
        assertThat(requests).contains("GET /api/v1/namespaces/" + NAMESPACE);
        assertThat(requests).as("reads of ManagedUpgrades the API server got while the status API answered")
                .filteredOn(request -> request.startsWith("GET /apis/slipway.dev/") && !request.contains("watch=true"))
                .isEmpty();
    }

    @Test
    void aDeletionIsServedOnceTheInformerHasSeenIt() {
        String token = statusReaderToken();
        namespace(NAMESPACE);
        client.resource(managedUpgrade(NAMESPACE, "gone", "http://127.0.0.1:1/releases", "acme-shop", "1.0.0"))
                .create();
        String gone = "/api/v1/namespaces/" + NAMESPACE + "/managedupgrades/gone";
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                given().auth().oauth2(token).when().get(gone).statusCode() == 200);

        client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE).withName("gone").delete();

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                given().auth().oauth2(token).when().get(gone).statusCode() == 404);
    }

    /** The requests the test API server received since the last call ("METHOD path"), taken off its log. */
    private List<String> requestsSince() throws InterruptedException {
        KubernetesMockServer api = server.getKubernetesMockServer();
        List<String> requests = new ArrayList<>();
        for (RecordedRequest request = api.takeRequest(1, TimeUnit.MILLISECONDS); request != null;
                request = api.takeRequest(1, TimeUnit.MILLISECONDS)) {
            requests.add(request.getMethod() + " " + request.getPath());
        }
        return requests;
    }
}
