package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.page.PageStatus;
import dev.slipway.http.page.InMemoryPageStatusSource;
import dev.slipway.http.page.MaintenancePageServer;
import dev.slipway.testing.StandInIngress;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The propagation probe through a real HTTP server standing in for the ingress, in front of a real page server: it
 * recognises this resource's page by its marker header, and nothing else.
 */
class PageProbeTest {

    private static final String MARKER = PageStatus.marker("shop", "shop-maintenance");

    private final HealthProbe probe = new HealthProbe();
    private final AtomicReference<Optional<URI>> route = new AtomicReference<>(Optional.empty());
    private Vertx vertx;
    private MaintenancePageServer page;
    private StandInIngress ingress;
    private URI pageUrl;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        page = new MaintenancePageServer(vertx, new InMemoryPageStatusSource(MARKER), Clock.systemUTC());
        pageUrl = URI.create("http://127.0.0.1:" + page.start(0) + "/");
        ingress = new StandInIngress(route::get);
    }

    @AfterEach
    void stop() {
        ingress.close();
        page.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theApplicationIsNotThePage() {
        assertThat(probe.servesPage(ingress.url(), PageStatus.MARKER_HEADER, MARKER)).isFalse();
    }

    @Test
    void thePageIsRecognisedOnceTheIngressRoutesToIt() {
        route.set(Optional.of(pageUrl));

        assertThat(probe.servesPage(ingress.url().resolve("/orders/42"), PageStatus.MARKER_HEADER, MARKER)).isTrue();
    }

    @Test
    void anotherResourcesPageIsNotThisOne() {
        route.set(Optional.of(pageUrl));

        assertThat(probe.servesPage(ingress.url(), PageStatus.MARKER_HEADER,
                PageStatus.marker("crm", "crm-maintenance"))).isFalse();
    }

    @Test
    void anUnreachableUrlIsNotThePage() {
        ingress.close();

        assertThat(probe.servesPage(ingress.url(), PageStatus.MARKER_HEADER, MARKER)).isFalse();
    }
}
