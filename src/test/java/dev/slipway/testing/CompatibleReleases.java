package dev.slipway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The shop's releases as zero-downtime tests serve them: 1.1.0 declares backward-compatible migrations, the
 * application answers a health check, and a client of the application is played by reading what it would reach.
 */
public final class CompatibleReleases {

    /** What a client gets while the application serves. */
    public static final String WEB_SERVING = "web serving";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompatibleReleases() {
    }

    /**
     * The shop's ManagedUpgrade pinned to {@code target}, its feed served by {@code feeds} with 1.1.0 declared
     * backward compatible (expand minAppVersion {@code expandFloor}), a health check the feed server answers and a
     * 1 s soak; returned once a web Pod is available.
     */
    public static ManagedUpgrade upgradeTo(FeedServer feeds, ShopFixture shop, String target, String expandFloor)
            throws IOException {
        String prefix = shop.namespace;
        ObjectNode feed = (ObjectNode) JSON.readTree(shop.application.feedJson());
        for (var release : feed.withArray("releases")) {
            String version = release.get("version").asText();
            feeds.serveFile("/" + prefix + "/bundles/" + version + ".zip", shop.application.bundle(version));
            if (version.equals("1.1.0")) {
                ObjectNode compatibility = ((ObjectNode) release.get("migrations")).putObject("compatibility")
                        .put("mode", "backward");
                compatibility.putObject("expand").put("minAppVersion", expandFloor);
            }
        }
        feeds.serveFeed(prefix, SampleApplication.PRODUCT, feed.toString(), "\"" + prefix + "\"");
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().getReleaseSource().setUrl(feeds.baseUrl(prefix));
        resource.getSpec().getPolicy().setVersion(target);
        feeds.serveFile("/" + prefix + "/health", "ok".getBytes(StandardCharsets.UTF_8));
        HealthCheckSpec check = new HealthCheckSpec();
        check.setUrl(feeds.baseUrl(prefix) + "/health");
        check.setSoak("1s");
        resource.getSpec().getApplication().setHealthCheck(check);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> available(shop.deployment("web")) >= 1);
        return resource;
    }

    /** What a client of the application reaches now: the page (Ingress swapped), an error (no web Pod), or web. */
    public static String whatAClientGets(ShopFixture shop) {
        String backend = shop.ingress().getSpec().getDefaultBackend().getService().getName();
        Deployment web = shop.deployment("web");
        if (!backend.equals("web")) {
            return "the maintenance page (Ingress → " + backend + ")";
        }
        if (web.getSpec().getReplicas() == 0 || available(web) == 0) {
            return "an error: no available web Pod (replicas " + web.getSpec().getReplicas() + ")";
        }
        return WEB_SERVING;
    }

    public static int available(Deployment deployment) {
        return deployment.getStatus() == null || deployment.getStatus().getAvailableReplicas() == null ? 0
                : deployment.getStatus().getAvailableReplicas();
    }
}
