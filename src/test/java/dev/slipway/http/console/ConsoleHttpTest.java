package dev.slipway.http.console;

import static dev.slipway.http.console.ConsoleCluster.ADMIN;
import static dev.slipway.http.console.ConsoleCluster.ADMIN_TOKEN;
import static dev.slipway.http.console.ConsoleCluster.VIEWER_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.http.api.FailedSignInLimiter;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.testing.LogCapture;
import dev.slipway.testing.StatusFixtures;
import dev.slipway.testing.cluster.AccessReviewDispatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over plain HTTP: sign-in, the session cookie, the cross-site checks, authorization and the patches. Who
 * is who and who may do what is the test API server's answer to TokenReview and SubjectAccessReview
 * ({@link AccessReviewDispatcher}), from the chart's console ClusterRoles bound as an administrator would bind them.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ConsoleProfile.class)
class ConsoleHttpTest {

    private static final String SHOP = "/console/api/namespaces/console-a/managedupgrades/shop/";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    ConsoleTestClock clock;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void resources() {
        ConsoleCluster.install(server, client);
        StatusFixtures.createWithStatus(client, "console-a", "shop", StatusFixtures.upgrading());
        StatusFixtures.createWithStatus(client, "console-a", "wiki", StatusFixtures.upToDate("1.0.0"));
        client.resources(ManagedUpgrade.class).inNamespace("console-a").withName("wiki").edit(resource -> {
            resource.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/tracking-id", "wiki:slipway.dev/ManagedUpgrade:console-a/wiki"));
            return resource;
        });
    }

    @Test
    void signInSetsAHostOnlySecureHttpOnlyStrictCookieAndNeverEchoesTheToken() {
        Response signIn = signIn(ADMIN_TOKEN);

        assertThat(signIn.statusCode()).isEqualTo(200);
        String setCookie = signIn.header("Set-Cookie");
        assertThat(setCookie).startsWith(ConsoleRoutes.COOKIE + "=").contains("; Path=/", "; Secure", "; HTTPOnly",
                "; SameSite=Strict").doesNotContainIgnoringCase("Domain");
        String id = signIn.cookie(ConsoleRoutes.COOKIE);
        assertThat(Base64.getUrlDecoder().decode(id)).as("session id bytes").hasSizeGreaterThanOrEqualTo(16);
        assertThat(signIn.asString()).doesNotContain(ADMIN_TOKEN);

        Response page = given().cookie(ConsoleRoutes.COOKIE, id).get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'nonce-", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(page.asString()).contains("Signed in as " + ADMIN)
                .doesNotContain(ADMIN_TOKEN);
        String list = given().cookie(ConsoleRoutes.COOKIE, id).get("/console/api/managedupgrades").asString();
        assertThat(list).contains("\"name\":\"shop\"", "\"approve\":true").doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void withoutASessionThePageAsksToSignIn() {
        assertThat(given().get("/console/").asString()).contains("<h2>Sign in</h2>", "kubectl create token");
        assertThat(given().get("/console/api/managedupgrades").statusCode()).isEqualTo(401);
    }

    @Test
    void theLiveStreamNeedsASessionAndCarriesOnlyWhatTheUserMayGet() throws Exception {
        StatusFixtures.createWithStatus(client, "console-b", "elsewhere", StatusFixtures.upToDate("1.0.0"));
        Session admin = new Session(signIn(ADMIN_TOKEN));
        assertThat(given().get("/console/api/events").statusCode()).as("no session").isEqualTo(401);

        HttpRequest events = HttpRequest.newBuilder(root.toURI().resolve("/console/api/events"))
                .header("Cookie", ConsoleRoutes.COOKIE + "=" + admin.id).build();
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(events,
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = stream.body()) {
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("text/event-stream"));
            String first = lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
            assertThat(first).contains("\"name\":\"shop\"", "\"name\":\"wiki\"").doesNotContain("elsewhere")
                    .doesNotContain(ADMIN_TOKEN);
        }
    }

    @Test
    void theAdminPausesAndTheResourceRecordsWhoAsked() {
        Session admin = new Session(signIn(ADMIN_TOKEN));

        Response paused = admin.post(SHOP + "pause", "{}");

        assertThat(paused.statusCode()).as(paused.asString()).isEqualTo(200);
        assertThat(paused.jsonPath().getString("changed")).contains("spec.policy.paused: (unset) → true");
        ManagedUpgrade shop = shop();
        assertThat(shop.getSpec().getPolicy().getPaused()).isTrue();
        assertThat(shop.getMetadata().getAnnotations()).containsEntry(SpecChange.REQUESTED_BY,
                ADMIN);
        assertThat(admin.post(SHOP + "resume", "{}").statusCode()).isEqualTo(200);
        assertThat(shop().getSpec().getPolicy().getPaused()).isNull();
    }

    @Test
    void everyPostWithoutTheCrossSiteProofsIsRefused403AndChangesNothing() {
        Session admin = new Session(signIn(ADMIN_TOKEN));
        String before = shop().getMetadata().getResourceVersion();

        assertThat(given().cookie(ConsoleRoutes.COOKIE, admin.id).header("Origin", origin())
                .header(ConsoleRoutes.CONSOLE_HEADER, "1").header(ConsoleRoutes.CSRF_HEADER, "forged")
                .contentType("application/json").body("{}").post(SHOP + "pause").statusCode())
                .as("wrong CSRF token").isEqualTo(403);
        assertThat(given().cookie(ConsoleRoutes.COOKIE, admin.id).header("Origin", origin())
                .header(ConsoleRoutes.CONSOLE_HEADER, "1").contentType("application/json").body("{}")
                .post(SHOP + "pause").statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(given().cookie(ConsoleRoutes.COOKIE, admin.id).header("Origin", "https://evil.example")
                .header(ConsoleRoutes.CONSOLE_HEADER, "1").header(ConsoleRoutes.CSRF_HEADER, admin.csrf)
                .contentType("application/json").body("{}").post(SHOP + "pause").statusCode())
                .as("wrong Origin").isEqualTo(403);
        assertThat(given().cookie(ConsoleRoutes.COOKIE, admin.id).header(ConsoleRoutes.CSRF_HEADER, admin.csrf)
                .header(ConsoleRoutes.CONSOLE_HEADER, "1").contentType("application/json").body("{}")
                .post(SHOP + "pause").statusCode()).as("no Origin").isEqualTo(403);
        assertThat(given().cookie(ConsoleRoutes.COOKIE, admin.id).header(ConsoleRoutes.CSRF_HEADER, admin.csrf)
                .header("Origin", origin()).header(ConsoleRoutes.CONSOLE_HEADER, "1")
                .contentType("application/x-www-form-urlencoded").body("a=b").post(SHOP + "pause").statusCode())
                .as("a form body").isEqualTo(403);
        assertThat(shop().getMetadata().getResourceVersion()).isEqualTo(before);
    }

    @Test
    void theViewerSeesActionsDisallowedAndAForgedPostIsRefused403() {
        Session viewer = new Session(signIn(VIEWER_TOKEN));
        String before = shop().getMetadata().getResourceVersion();

        String list = given().cookie(ConsoleRoutes.COOKIE, viewer.id).get("/console/api/managedupgrades").asString();
        assertThat(list).contains("\"approve\":false", "\"pause\":false");
        assertThat(given().cookie(ConsoleRoutes.COOKIE, viewer.id).get("/console/api/managedupgrades").jsonPath()
                .getList("managedUpgrades.allowed.collect { it.values() }.flatten()")).isNotEmpty().containsOnly(false);
        Response forged = viewer.post(SHOP + "select-version", "{\"version\":\"2.0.0\"}");

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(shop().getMetadata().getResourceVersion()).isEqualTo(before);
    }

    @Test
    void aResourceAGitOpsToolOwnsIsRefused409() {
        Session admin = new Session(signIn(ADMIN_TOKEN));

        Response refused = admin.post("/console/api/namespaces/console-a/managedupgrades/wiki/approve",
                "{\"version\":\"1.0.0\"}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("GitOpsManaged");
        assertThat(refused.jsonPath().getString("message")).contains("Argo CD", "approve via Git");
    }

    @Test
    void anIdleSessionExpiresAndLogoutEndsOneServerSide() {
        Session idle = new Session(signIn(ADMIN_TOKEN));
        Session other = new Session(signIn(ADMIN_TOKEN));
        assertThat(other.post("/console/logout", "{}").statusCode()).isEqualTo(200);
        assertThat(given().cookie(ConsoleRoutes.COOKIE, other.id).get("/console/api/managedupgrades").statusCode())
                .as("after logout").isEqualTo(401);

        clock.advance(Duration.ofMinutes(16));

        assertThat(given().cookie(ConsoleRoutes.COOKIE, idle.id).get("/console/api/managedupgrades").statusCode())
                .isEqualTo(401);
        assertThat(given().cookie(ConsoleRoutes.COOKIE, idle.id).get("/console/").asString()).contains("Sign in");
    }

    @Test
    void anApprovalOfAPlanThatChangedSinceItWasShownIsRefused409AndChangesNothing() {
        Session admin = new Session(signIn(ADMIN_TOKEN));
        String before = shop().getMetadata().getResourceVersion();

        Response stale = admin.post(SHOP + "approve", "{\"version\": \"2.0.0\", \"planHash\": \"0123456789abcdef\"}");

        assertThat(stale.statusCode()).as(stale.asString()).isEqualTo(409);
        assertThat(stale.jsonPath().getString("code")).isEqualTo("PlanChanged");
        assertThat(shop().getMetadata().getResourceVersion()).isEqualTo(before);
    }

    @Test
    void failedSignInsAreRateLimitedAndTheTokenIsNeverLogged() {
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < FailedSignInLimiter.BURST; i++) {
                assertThat(signIn("wrong-token-" + i).statusCode()).isEqualTo(401);
            }
            Response limited = signIn(ADMIN_TOKEN);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isNotBlank();
            clock.advance(Duration.ofMinutes(2));
            assertThat(signIn(ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(logs.text()).doesNotContain(ADMIN_TOKEN, "wrong-token-");
        }
    }

    private Response signIn(String token) {
        return given().header("Origin", origin()).header(ConsoleRoutes.CONSOLE_HEADER, "1")
                .contentType("application/json").body("{\"token\":\"" + token + "\"}").post("/console/session");
    }

    private String origin() {
        return root.getProtocol() + "://" + root.getAuthority();
    }

    private ManagedUpgrade shop() {
        return client.resources(ManagedUpgrade.class).inNamespace("console-a").withName("shop").get();
    }

    /** A signed-in browser: its session cookie and the CSRF token the page embeds. */
    private final class Session {
        final String id;
        final String csrf;

        Session(Response signIn) {
            assertThat(signIn.statusCode()).as(signIn.asString()).isEqualTo(200);
            id = signIn.cookie(ConsoleRoutes.COOKIE);
            String page = given().cookie(ConsoleRoutes.COOKIE, id).get("/console/").asString();
            csrf = page.replaceAll("(?s).*const csrf = '([^']+)'.*", "$1");
        }

        RequestSpecification request() {
            return given().cookie(ConsoleRoutes.COOKIE, id).header("Origin", origin())
                    .header(ConsoleRoutes.CONSOLE_HEADER, "1").header(ConsoleRoutes.CSRF_HEADER, csrf)
                    .contentType("application/json");
        }

        Response post(String path, String body) {
            return request().body(body).post(path);
        }
    }
}
