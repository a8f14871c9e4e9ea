package dev.slipway.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code demo --keep-running} through the real entry point, driven over HTTP as a browser would drive its console:
 * the admin signs in with the content of the demo's admin token file, chooses 2.0.0 and approves it, and the demo's
 * upgrade runs to 2.0.0; the viewer's token signs in too, but the viewer's approval is refused 403. The demo runs on
 * a thread of its own (it waits for Ctrl-C) and is stopped as Ctrl-C would stop it, by asking Quarkus to exit.
 */
@QuarkusMainTest
@TestProfile(WindowsMainTest.QuietRelaunch.class)
class DemoConsoleTest {

    private static final String QUARKUS_HTTP_PORT = "quarkus.http.port";
    private static final String QUARKUS_HTTP_TEST_PORT = "quarkus.http.test-port";
    private static final String HTTP_ENABLED = "quarkus.http.host-enabled";
    private static final String KUBERNETES_MASTER = "kubernetes.master";
    private static final String COOKIE = "__Host-slipway-console";
    private static final String SHOP = "/console/api/namespaces/shop/managedupgrades/shop/";

    private String portBefore;
    private String testPortBefore;
    private String masterBefore;
    private int port;

    /** A fixed free port, so the test knows where the console is while the demo runs (see DemoMainTest). */
    @BeforeEach
    void freeQuarkusPort() throws IOException {
        System.clearProperty(HTTP_ENABLED);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        portBefore = System.setProperty(QUARKUS_HTTP_PORT, Integer.toString(port));
        testPortBefore = System.setProperty(QUARKUS_HTTP_TEST_PORT, Integer.toString(port));
        // an earlier test's API server may have left its address here: only the demo's own may be awaited below
        masterBefore = System.clearProperty(KUBERNETES_MASTER);
    }

    @AfterEach
    void restoreQuarkusPort() {
        restore(QUARKUS_HTTP_PORT, portBefore);
        restore(QUARKUS_HTTP_TEST_PORT, testPortBefore);
        restore(KUBERNETES_MASTER, masterBefore);
    }

    @Test
    void theAdminChoosesAndApproves200InTheConsoleAndTheDemoUpgradesWhileTheViewerIsRefused403(
            QuarkusMainLauncher launcher) throws Exception {
        AtomicReference<LaunchResult> launched = new AtomicReference<>();
        Thread demo = new Thread(() -> launched.set(launcher.launch("demo", "--keep-running", "--port", "0",
                "--ready-delay", "0")), "demo-keep-running");
        demo.start();
        try {
            // the launch builds the application first: that alone can take a minute or two on a busy machine
            String master = Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> System.getProperty(KUBERNETES_MASTER), value -> value != null);
            Path tokens = demoDirectory(master);
            Path adminToken = tokens.resolve("admin-token");
            Path viewerToken = tokens.resolve("viewer-token");
            for (Path token : List.of(adminToken, viewerToken)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).as(token.toString())
                        .isEqualTo("rw-------");
                assertThat(Files.readString(token)).as("256 random bits, base64url").matches("[A-Za-z0-9_-]{43}");
            }
            try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> shop(client).map(shop -> shop.getStatus() != null
                                && shop.getStatus().getAvailableUpdates() != null
                                && shop.getStatus().getAvailableUpdates().contains("2.0.0")).orElse(false));
                assertThat(shop(client).orElseThrow().getStatus().getHistory()).as("waiting for an approval")
                        .isNullOrEmpty();

                Session viewer = new Session(Files.readString(viewerToken));
                Response refused = viewer.post("approve", "{\"version\":\"2.0.0\"}");
                assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(403);
                assertThat(shop(client).orElseThrow().getSpec().getPolicy().getApprovedVersion()).isNull();

                Session admin = new Session(Files.readString(adminToken));
                Response chosen = admin.post("select-version", "{\"version\":\"2.0.0\"}");
                assertThat(chosen.statusCode()).as(chosen.asString()).isEqualTo(200);
                Response approved = admin.post("approve", "{\"version\":\"2.0.0\"}");
                assertThat(approved.statusCode()).as(approved.asString()).isEqualTo(200);

                HistoryEntry upgraded = Awaitility.await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> shop(client).map(shop -> shop.getStatus().getHistory()).filter(h -> !h.isEmpty())
                                .map(history -> history.get(history.size() - 1)).orElse(null), entry -> entry != null);
                assertThat(upgraded.to()).isEqualTo("2.0.0");
                assertThat(upgraded.requestedBy()).isEqualTo("demo-admin");
            }
        } finally {
            exit(demo);
            demo.join(Duration.ofSeconds(60).toMillis());
        }

        LaunchResult result = launched.get();
        assertThat(result).as("the demo ended").isNotNull();
        assertThat(result.getOutput())
                .contains("  Console           http://localhost:" + port + "/console/")
                .containsPattern("  Admin token       /[^ ]+/admin-token ")
                .containsPattern("  Viewer token      /[^ ]+/viewer-token ")
                .contains("Waiting for an approval")
                .contains("Upgrade succeeded: 1.0.0 -> 2.0.0")
                .contains("Still running (--keep-running)");
        assertThat(result.exitCode()).isZero();
    }

    private static Optional<ManagedUpgrade> shop(KubernetesClient client) {
        return Optional.ofNullable(client.resources(ManagedUpgrade.class).inNamespace("shop").withName("shop").get());
    }

    /** The demo's temporary directory: the one whose kubeconfig names the demo's API server. */
    private static Path demoDirectory(String master) throws IOException {
        String server = "server: " + master.replaceAll("/+$", "");
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("slipway-demo-"))
                    .filter(path -> {
                        try {
                            return Files.readString(path.resolve("kubeconfig")).contains(server);
                        } catch (IOException e) {
                            return false;
                        }
                    }).findFirst().orElseThrow(() -> new AssertionError("no demo directory with " + server));
        }
    }

    /**
     * What Ctrl-C does to the demo: Quarkus exits. The application runs in Quarkus' own class loader, which the
     * launching thread holds as its context class loader while the demo runs.
     */
    private static void exit(Thread demo) throws ReflectiveOperationException {
        if (demo.isAlive()) {
            Class.forName("io.quarkus.runtime.Quarkus", true, demo.getContextClassLoader())
                    .getMethod("asyncExit", int.class).invoke(null, 0);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** A signed-in browser: its session cookie and the CSRF token its page embeds (as ConsoleHttpTest reads it). */
    private final class Session {
        final String id;
        final String csrf;

        Session(String token) {
            Response signIn = console().contentType("application/json")
                    .body("{\"token\":\"" + token + "\"}").post("/console/session");
            assertThat(signIn.statusCode()).as(signIn.asString()).isEqualTo(200);
            assertThat(signIn.asString()).doesNotContain(token);
            id = signIn.cookie(COOKIE);
            String page = given().port(port).cookie(COOKIE, id).get("/console/").asString();
            csrf = page.replaceAll("(?s).*const csrf = '([^']+)'.*", "$1");
        }

        Response post(String action, String body) {
            return console().cookie(COOKIE, id).header("X-CSRF-Token", csrf).contentType("application/json")
                    .body(body).post(SHOP + action);
        }

        private RequestSpecification console() {
            return given().port(port).header("Origin", "http://localhost:" + port).header("X-Slipway-Console", "1");
        }
    }
}
