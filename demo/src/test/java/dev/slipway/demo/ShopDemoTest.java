package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.spec.Approval;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's world without the operator: everything is set up, and an upgrade that never runs is given up on. */
class ShopDemoTest {

    @Test
    void anUpgradeThatNeverFinishesIsGivenUpOnAtTheTimeoutSayingWhereItWas() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (DemoCluster cluster = DemoCluster.start(); KubernetesClient client = new KubernetesClientBuilder().build();
             ShopDemo demo = new ShopDemo(client, vertx, Clock.systemUTC(),
                     new ShopDemo.Settings(0, Duration.ZERO, Duration.ofSeconds(1), null,
                             Approval.Automatic, DemoScenario.PAGE))) {
            ShopDemo.Endpoints endpoints = demo.start();

            assertThat(endpoints.page()).startsWith("http://localhost:");
            assertThat(client.apps().deployments().inNamespace(ShopDemo.NAMESPACE).withName("web").get()
                    .getSpec().getReplicas()).isEqualTo(2);
            StringWriter told = new StringWriter();
            Runnable operatorNeverStarts = () -> {
            };
            assertThatThrownBy(() -> demo.upgrade(operatorNeverStarts, new PrintWriter(told)))
                    .isInstanceOf(ShopDemo.UpgradeNotCompleted.class)
                    .hasMessage("the upgrade did not finish within 1s; it was at phase none");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
