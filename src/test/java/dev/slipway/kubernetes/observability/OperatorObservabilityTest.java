package dev.slipway.kubernetes.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.MetricsScrape;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After a real upgrade by the running operator, what an admin's tools see: metrics, health and the status API. */
@QuarkusTest
@WithKubernetesTestServer
class OperatorObservabilityTest extends OperatorTestBase {

    private static final String NAMESPACE = "observe-shop";
    private static final double INFINITY = Double.POSITIVE_INFINITY;

    private final List<ExtLogRecord> slipwayLogs = new CopyOnWriteArrayList<>();
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord extended) {
                extended.copyMdc();
                slipwayLogs.add(extended);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private SimulatedKubelet kubelet;
    private ShopFixture shop;

    @BeforeEach
    void startKubeletAndCaptureLogs() {
        kubelet = new SimulatedKubelet(client).start();
        Logger.getLogger("dev.slipway").addHandler(logCapture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("dev.slipway").removeHandler(logCapture);
        kubelet.close();
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void afterAnUpgradeMetricsHealthAndTheStatusApiTellWhatHappened() throws Exception {
        shop = new ShopFixture(client, NAMESPACE, new SampleApplication());
        client.resource(shop.resource("shop")).create();
        awaitStatus(NAMESPACE, "shop", r -> r.getStatus().getHistory() != null && !r.getStatus().getHistory().isEmpty()
                && r.getStatus().getPhase() == Phase.UpToDate);

        MetricsScrape scrape = MetricsScrape.now();
        Map<String, String> succeeded = Map.of("namespace", NAMESPACE, "name", "shop", "result", "Succeeded");
        assertThat(scrape.value("slipway_upgrades_total", succeeded)).hasValue(1.0);
        assertThat(scrape.value("slipway_upgrade_duration_seconds_count", succeeded)).hasValue(1.0);
        assertThat(bucketBounds(scrape.samples("slipway_upgrade_duration_seconds_bucket", succeeded)))
                .as("30s, 1m, 2m, 5m, 10m, 20m, 30m, 1h, 2h")
                .containsExactly(30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0, 7200.0, INFINITY);
        assertThat(bucketBounds(scrape.samples("slipway_upgrade_step_duration_seconds_bucket", Map.of("step", "Migrate"))))
                .containsExactly(1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, INFINITY);
        assertThat(scrape.samples("slipway_upgrade_step_duration_seconds_count", Map.of()))
                .extracting(sample -> sample.labels().get("step")).contains("Migrate", "RestoreTraffic");
        assertThat(scrape.names()).filteredOn(name -> name.startsWith("slipway_")).isNotEmpty()
                .allSatisfy(name -> assertThat(scrape.help(name)).as("HELP of %s", name)
                        .hasValueSatisfying(help -> assertThat(help).isNotBlank()));
        // JOSDK's metrics per controller only (OperatorMetricsProducer): per resource they cost tens of KiB each
        List<MetricsScrape.Sample> operatorSdk = scrape.names().stream().filter(name -> name.startsWith("operator_sdk_"))
                .flatMap(name -> scrape.samples(name, Map.of()).stream()).toList();
        assertThat(operatorSdk).as("JOSDK's metrics").isNotEmpty()
                .noneMatch(sample -> sample.labels().containsValue("shop"));
        assertThat(scrape.samples("slipway_feed_polls_total", Map.of("result", "ok", "product", SampleApplication.PRODUCT)))
                .extracting(sample -> sample.labels().get("source"))
                .anyMatch(source -> shop.releaseApi.url().startsWith(source));
        assertThat(scrape.samples("slipway_feed_last_success_timestamp_seconds", Map.of()))
                .anySatisfy(sample -> assertThat(sample.value()).isPositive());
        // the phase gauges are read from the controller's cache every StatusMetrics.REFRESH, so they may lag a little
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MetricsScrape phases = MetricsScrape.now();
            assertThat(phases.value("slipway_phase", Map.of("namespace", NAMESPACE, "name", "shop", "phase",
                    "UpToDate"))).hasValue(1.0);
            assertThat(phases.value("slipway_phase", Map.of("namespace", NAMESPACE, "name", "shop", "phase",
                    "Upgrading"))).hasValue(0.0);
        });

        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        assertThat(slipwayLogs).as("log lines written while reconciling carry the resource and step in the MDC")
                .filteredOn(record -> record.getFormattedMessage().contains("applying V2__"))
                .isNotEmpty().allSatisfy(record -> {
                    assertThat(record.getMdc(ReconcileLogContext.NAMESPACE)).isEqualTo(NAMESPACE);
                    assertThat(record.getMdc(ReconcileLogContext.NAME)).isEqualTo("shop");
                    assertThat(record.getMdc(ReconcileLogContext.STEP)).isEqualTo("Migrate");
                });

        given().auth().oauth2(statusReaderToken()).when().get("/api/v1/namespaces/" + NAMESPACE + "/managedupgrades/shop").then().statusCode(200)
                .body("phase", equalTo("UpToDate"))
                .body("currentVersion", equalTo("2.0.0"))
                .body("progress", org.hamcrest.Matchers.nullValue())
                .body("history[0].result", equalTo("Succeeded"))
                .body("history[0].path", org.hamcrest.Matchers.contains("1.1.0", "1.2.0", "2.0.0"));
    }

    /** The upper bounds ({@code le}) of a histogram's buckets, in ascending order. */
    private static List<Double> bucketBounds(List<MetricsScrape.Sample> buckets) {
        return buckets.stream().map(bucket -> bucket.labels().get("le"))
                .map(le -> "+Inf".equals(le) ? INFINITY : Double.parseDouble(le)).sorted().toList();
    }
}
