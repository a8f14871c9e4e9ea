package dev.slipway.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.testing.Axe;
import dev.slipway.testing.HeadlessChromium;
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
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code demo --keep-running} through the real entry point, its console driven in headless Chromium against the real
 * operator: the admin signs in with the content of the demo's admin token file, chooses 2.0.0, sees its plan and
 * approves it, watches the demo's upgrade progress live and 2.0.0 land in the history; the viewer's token signs in
 * too (over plain HTTP), but the viewer's approval is refused 403. Screens go to
 * {@code target/screenshots/console-demo-*.png}, each checked with axe-core. Skipped without Chromium, as every
 * browser test ({@link HeadlessChromium}). The demo runs on a thread of its own (it waits for Ctrl-C) and is stopped
 * as Ctrl-C would stop it, by asking Quarkus to exit.
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

    private HeadlessChromium chromium;
    private ChromeDriver browser;
    private Axe axe;
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
    void theAdminApproves200InChromiumAndWatchesTheDemoUpgradeLiveWhileTheViewerIsRefused403(
            QuarkusMainLauncher launcher) throws Exception {
        // Skips (or fails, where required) before the slow launch when Chromium or axe-core is missing.
        axe = Axe.installed();
        chromium = HeadlessChromium.start("DemoConsoleTest");
        browser = chromium.driver();
        AtomicReference<LaunchResult> launched = new AtomicReference<>();
        // Each simulated pod takes 2s to start or stop: the upgrade's steps last long enough for the page to show them.
        Thread demo = new Thread(() -> launched.set(launcher.launch("demo", "--keep-running", "--port", "0",
                "--ready-delay", "2s")), "demo-keep-running");
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

                theAdminApproves200InTheBrowser(Files.readString(adminToken), client);

                HistoryEntry upgraded = Awaitility.await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> shop(client).map(shop -> shop.getStatus().getHistory()).filter(h -> !h.isEmpty())
                                .map(history -> history.get(history.size() - 1)).orElse(null), entry -> entry != null);
                assertThat(upgraded.to()).isEqualTo("2.0.0");
                assertThat(upgraded.requestedBy()).isEqualTo("demo-admin");
            }
        } finally {
            chromium.close();
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

    /**
     * In Chromium: the admin signs in with the token file's content, sees the plan to 2.0.0, chooses 2.0.0 in the
     * version selector and approves the plan seen; the page then shows the real operator's steps as they happen
     * (server-sent, without a reload) and finally 2.0.0 in its history, requested by the admin.
     */
    private void theAdminApproves200InTheBrowser(String token, KubernetesClient client) {
        browser.get("http://localhost:" + port + "/console/");
        waitForText("h2", "Sign in", Duration.ofSeconds(15));
        screen("console-demo-1-sign-in");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
        waitForText("section.app h2", "shop/shop", Duration.ofSeconds(15));
        assertThat(text("header")).contains("Signed in as demo-admin");
        waitForText("section.app", "Planned: 1.0.0 → 2.0.0", Duration.ofSeconds(15));
        new Select(browser.findElement(By.id("version-shop-shop"))).selectByValue("2.0.0");
        screen("console-demo-2-plan");

        // From here the page must change only through its live stream: a reload would lose these.
        browser.executeScript("""
                window.loadedOnce = true;
                window.progressShown = [];
                new MutationObserver(() => {
                  const box = document.querySelector('.progress');
                  if (box && window.progressShown[window.progressShown.length - 1] !== box.innerText) {
                    window.progressShown.push(box.innerText);
                  }
                }).observe(document.getElementById('apps'), {childList: true, subtree: true});""");
        String planSeen = shop(client).orElseThrow().getStatus().getPlan().hash();
        browser.findElement(By.cssSelector("button[data-action='approve']")).click();
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> "2.0.0".equals(shop(client).orElseThrow().getSpec().getPolicy().getApprovedVersion()));
        assertThat(shop(client).orElseThrow().getSpec().getPolicy().getApprovedPlanHash())
                .as("the approval is bound to the plan the admin saw").isEqualTo(planSeen);

        waitForText(".progress", "Now: ", Duration.ofSeconds(60));
        chromium.screenshot("console-demo-3-progress");
        waitForText("table.history", "demo-admin", Duration.ofMinutes(3));
        assertThat(text("table.history")).contains("1.0.0", "2.0.0", "Succeeded");
        @SuppressWarnings("unchecked")
        List<String> progressShown = (List<String>) browser.executeScript("return window.progressShown;");
        assertThat(progressShown).as("the upgrade's steps as the page showed them")
                .anyMatch(shown -> shown.contains("Upgrade 1.0.0 → 2.0.0") && shown.matches("(?s).*Now: [A-Z]\\w+.*"));
        assertThat(browser.executeScript("return window.loadedOnce === true;"))
                .as("progress and history arrived without a reload").isEqualTo(true);
        browser.executeScript("document.querySelector('table.history').scrollIntoView();");
        screen("console-demo-4-history");
    }

    /** Photographs the screen and fails on any serious or critical axe-core violation on it. */
    private void screen(String name) {
        chromium.screenshot(name);
        assertThat(axe.seriousViolations(browser)).as("axe-core on " + name).isEmpty();
    }

    private void waitForText(String selector, String text, Duration atMost) {
        new WebDriverWait(browser, atMost).until(page -> {
            String shown = text(selector);
            return shown != null && shown.contains(text);
        });
    }

    /** The rendered text, read in one step: live updates may replace the element between two WebDriver calls. */
    private String text(String selector) {
        return (String) browser.executeScript(
                "var element = document.querySelector(arguments[0]); return element ? element.innerText : null;",
                selector);
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

    /** A signed-in client: its session cookie and the CSRF token its page embeds (as ConsoleHttpTest reads it). */
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
