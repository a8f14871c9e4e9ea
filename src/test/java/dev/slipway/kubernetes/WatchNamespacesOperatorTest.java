package dev.slipway.kubernetes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's watchNamespaces install: the operator watches two namespaces and holds only the Roles the chart renders
 * there, nothing cluster-wide (OperatorTestBase puts that RBAC in front of it and fails a test in which the operator
 * was refused anything). A whole upgrade, the status API and the Events work with those Roles alone, and a
 * ManagedUpgrade elsewhere is never touched. RbacDispatcherTest shows the refusals of this mode.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WatchNamespacesOperatorTest.TwoNamespaces.class)
class WatchNamespacesOperatorTest extends OperatorTestBase {

    static final String WATCHED = "watched-shop";

    /** What the chart's {@code watchNamespaces: [watched-shop, watched-wiki]} sets for the operator. */
    public static class TwoNamespaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.controllers." + ManagedUpgradeReconciler.NAME + ".namespaces",
                    WATCHED + ",watched-wiki");
        }
    }

    @Test
    void anUpgradeInAWatchedNamespaceCompletesWithTheRolesOfThatNamespaceAlone() throws Exception {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start();
             ShopFixture shop = new ShopFixture(client, WATCHED, new SampleApplication());
             ShopFixture elsewhere = new ShopFixture(client, "not-watched", new SampleApplication())) {
            client.resource(elsewhere.resource("shop")).create();
            client.resource(shop.resource("shop")).create();

            ManagedUpgrade done = awaitStatus(WATCHED, "shop", r -> r.getStatus().getHistory() != null
                    && !r.getStatus().getHistory().isEmpty());

            assertThat(done.getStatus().getHistory()).singleElement()
                    .satisfies(entry -> assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded));
            assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "2.0.0"));
            assertThat(client.v1().events().inNamespace(WATCHED).list().getItems()).extracting(e -> e.getReason())
                    .contains("UpgradeSucceeded");
            given().auth().oauth2(statusReaderToken()).when().get("/api/v1/managedupgrades").then().statusCode(200)
                    .body("namespace", contains(WATCHED));
            assertThat(get("not-watched", "shop").getStatus()).isNull();
            assertThat(elsewhere.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        }
    }
}
