package dev.slipway.http.console;

import static dev.slipway.http.console.ConsoleCluster.ADMIN;
import static dev.slipway.http.console.ConsoleCluster.ADMIN_TOKEN;
import static dev.slipway.http.console.ConsoleCluster.NAMESPACE;
import static dev.slipway.http.console.ConsoleCluster.VIEWER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.MaintenanceSpec;
import dev.slipway.api.v1alpha1.status.DatabaseStatus;
import dev.slipway.api.v1alpha1.status.DriftFindingStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.MaintenanceStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.api.v1alpha1.status.WindowStatus;
import dev.slipway.core.plan.HopReason;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.status.PlanStatuses;
import dev.slipway.kubernetes.status.TimeWords;
import dev.slipway.testing.Axe;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.Feeds;
import dev.slipway.testing.HeadlessChromium;
import dev.slipway.testing.LogCapture;
import dev.slipway.testing.StatusFixtures;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium, against the real HTTP server, the test API server's TokenReview and
 * SubjectAccessReview (the chart's console ClusterRoles, {@link ConsoleCluster}) and a real Release API feed. The
 * operator does not run here: the test writes the status an operator would write (plan, progress, history), which is
 * what the console reads. Every screen is checked with axe-core and photographed to {@code target/screenshots}; after
 * each test the tokens are looked for in every response body the browser received, the live events, the log, the
 * resource and the namespace's Events.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ConsoleProfile.class)
class ConsoleBrowserTest {

    private static final String SHOP = "shop";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCS_SCREENSHOTS = Path.of("docs", "screenshots");

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;
    private static Axe axe;
    private static FeedServer feed;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    ConsoleTestClock clock;

    @TestHTTPResource("/console/")
    URL console;

    private final List<String> seen = new ArrayList<>();
    private int responseBodies;
    private LogCapture logs;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.start("ConsoleBrowserTest");
        browser = chromium.driver();
        axe = Axe.installed();
        feed = new FeedServer();
        Feeds releases = Feeds.product(SampleApplication.PRODUCT).with("1.0.0").with("1.1.0");
        releases.release("1.2.0").put("requiredStop", true);
        releases.with("2.0.0");
        releases.release("2.0.1").putObject("blocked").put("reason", "corrupts the orders export");
        // Published two days before the test clock's now: a week's minReleaseAge leaves five days to wait.
        releases.release("2.1.0").put("publishedAt", "2026-11-24T12:00:00Z");
        JsonNode document = JSON.readTree(releases.json());
        document.get("releases").forEach(release -> ((ObjectNode) release)
                .put("notesUrl", "https://vendor.example/notes/" + release.get("version").asText()));
        feed.serveFeed("console", SampleApplication.PRODUCT, document.toString(), "\"v1\"");
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
            feed.close();
        }
    }

    @BeforeEach
    void cluster() {
        ConsoleCluster.install(server, client);
        ManagedUpgrade shop = new SampleApplication().managedUpgrade(NAMESPACE, SHOP, feed.baseUrl("console"));
        shop.getSpec().getPolicy().setApproval(Approval.Manual);
        shop.getSpec().getPolicy().setMinReleaseAge("168h");
        shop.getSpec().setMaintenance(client.getKubernetesSerialization().unmarshal("""
                {"timeZone": "Europe/Berlin",
                 "windows": [{"name": "weekend", "days": ["Sat"], "startTime": "02:00", "duration": "4h"}],
                 "exclusions": [{"name": "year-end freeze", "startDate": "2026-12-19", "endDate": "2027-01-04",
                                 "scope": "All"}]}""", MaintenanceSpec.class));
        client.resource(shop).delete();
        client.resource(shop).create();
        writeStatus(status -> waitingForApproval());
        browser.manage().deleteAllCookies();
        logs = LogCapture.start();
    }

    @AfterEach
    void theTokensAppearNowhere() {
        logs.close();
        collectResponses();
        String cluster = client.getKubernetesSerialization().asJson(shop())
                + client.getKubernetesSerialization().asJson(client.v1().events().inNamespace(NAMESPACE)
                .list().getItems());
        assertThat(responseBodies).as("HTTP response bodies read from the browser").isPositive();
        assertThat(String.join("\n", seen)).as("the console's JSON answers were among them")
                .contains("\"managedUpgrades\"");
        for (String token : List.of(ADMIN_TOKEN, VIEWER_TOKEN)) {
            assertThat(seen).noneMatch(text -> text.contains(token));
            assertThat(logs.text()).doesNotContain(token);
            assertThat(cluster).as("the resource and its Events").doesNotContain(token);
        }
    }

    @Test
    void theAdminPicksAVersionSeesItsPlanApprovesAndWatchesTheUpgradeLandInHistory() throws IOException {
        browser.get(console.toString());
        waitForText("h2", "Sign in");
        screen("console-1-sign-in");

        signIn(ADMIN_TOKEN);
        assertThat(text("header")).contains("Signed in as " + ADMIN);
        assertThat(text("table.choices")).contains("2.0.0", "1.2.0", "1.1.0")
                .contains("1.2.0: a required stop: the vendor requires every upgrade to pass through 1.2.0")
                .contains("downtime: behind the maintenance page");
        assertThat(browser.findElement(By.cssSelector("a[aria-label='Release notes of 1.1.0']")).getAttribute("href"))
                .isEqualTo("https://vendor.example/notes/1.1.0");
        assertThat(text("table.blocked")).contains("2.0.1", "corrupts the orders export").contains("2.1.0",
                TimeWords.duration(Duration.between(clock.instant(), Instant.parse("2026-12-01T12:00:00Z"))));
        assertThat(text("ul.schedule")).contains("Sat 28 Nov 02:00 Europe/Berlin to Sat 28 Nov 06:00 Europe/Berlin")
                .contains("year-end freeze: Sat 19 Dec 00:00 Europe/Berlin to Tue 5 Jan 00:00 Europe/Berlin (no upgrade may start)");
        assertThat(text("table.findings")).contains("Warning", "public.orders_by_day");
        assertThat(text("table.history")).contains("0.9.0", "Succeeded", "10m", "Migrate 1.0.0: 4m", "alice");
        screen("console-2-overview");

        new Select(browser.findElement(By.id("version-console-a-shop"))).selectByValue("1.1.0");
        click("select-version");
        waitUntil(() -> "1.1.0".equals(shop().getSpec().getPolicy().getVersion()));
        assertThat(shop().getSpec().getPolicy().getApprovedVersion()).as("Manual: choosing approves").isEqualTo("1.1.0");
        assertThat(text("#message")).contains("spec.policy.version", "1.1.0", "requested by " + ADMIN);

        // The operator plans the path to the chosen version; the page learns it from the live stream.
        browser.executeScript("window.loadedOnce = true;");
        List<HopStatus> hops = List.of(new HopStatus("1.1.0", HopReason.Target, "2"));
        String planHash = PlanStatuses.hash("1.0.0", hops);
        writeStatus(status -> {
            status.setPhase(Phase.WaitingForApproval);
            status.setTargetVersion("1.1.0");
            status.setPlan(new PlanStatus("1.1.0", hops, planHash, null));
            return status;
        });
        waitForText("section.app", "Planned: 1.0.0 → 1.1.0");
        assertThat(text("section.app")).contains("1.1.0: the version chosen; downtime: behind the maintenance page");
        screen("console-3-plan");

        click("approve");
        waitUntil(() -> planHash.equals(shop().getSpec().getPolicy().getApprovedPlanHash()));

        writeStatus(status -> upgrading(status, UpgradeStep.PageUp, null, hops));
        waitForText(".progress", "Now: PageUp");
        screen("console-4-progress");
        writeStatus(status -> upgrading(status, UpgradeStep.Migrate, 0, hops));
        waitForText(".progress", "Now: Migrate 1.1.0 (hop 1 of 1)");

        writeStatus(status -> {
            status.setPhase(Phase.UpToDate);
            status.setCurrentVersion("1.1.0");
            status.setTargetVersion(null);
            status.setPlan(null);
            status.setUpgrade(null);
            List<HistoryEntry> history = new ArrayList<>(status.getHistory());
            history.add(new HistoryEntry("1.0.0", "1.1.0", List.of("1.1.0"), "2026-11-26T12:00:00Z",
                    "2026-11-26T12:06:30Z", UpgradeResult.Succeeded, null, null, null, List.of(
                            new StepRecord(UpgradeStep.PageUp, null, "PageUp", "2026-11-26T12:00:00Z",
                                    "2026-11-26T12:00:40Z"),
                            new StepRecord(UpgradeStep.Migrate, 0, "Migrate 1.1.0", "2026-11-26T12:00:40Z",
                                    "2026-11-26T12:05:10Z")), null, ADMIN));
            status.setHistory(history);
            return status;
        });
        waitForText("table.history", "1.1.0");
        assertThat(browser.findElements(By.cssSelector(".progress"))).isEmpty();
        assertThat(text("table.history")).contains("6m", "PageUp: 40s", "Migrate 1.1.0: 4m", ADMIN);
        assertThat(browser.executeScript("return window.loadedOnce === true;"))
                .as("progress arrived without a reload").isEqualTo(true);
        assertThat((Long) browser.executeScript("return window.liveEvents.length;")).as("server-sent overviews")
                .isGreaterThanOrEqualTo(4);
        screen("console-5-history", "table.history");
        publish("console-2-overview", "console-3-plan", "console-4-progress", "console-5-history");
    }

    @Test
    void theViewerSeesEveryActionDisabledAndAForgedPostIsRefused403() throws IOException {
        browser.get(console.toString());
        signIn(VIEWER_TOKEN);
        String before = shop().getMetadata().getResourceVersion();

        List<WebElement> actions = browser.findElements(By.cssSelector("[data-action]"));
        assertThat(actions).hasSizeGreaterThanOrEqualTo(5).allMatch(button -> !button.isEnabled());
        assertThat(browser.findElement(By.id("version-console-a-shop")).isEnabled()).isFalse();
        assertThat(text("section.app")).contains("You may view this application");
        screen("console-6-viewer");
        publish("console-6-viewer");

        Map<?, ?> forged = post("/console/api/namespaces/console-a/managedupgrades/shop/select-version", true);

        assertThat(forged.get("status")).isEqualTo(403L);
        assertThat((String) forged.get("body")).contains("may not approve");
        assertThat(shop().getMetadata().getResourceVersion()).isEqualTo(before);
    }

    @Test
    void anAdminWithNoNewerReleaseHasNoVersionToChoose() {
        writeStatus(status -> StatusFixtures.upToDate("2.1.0"));
        browser.get(console.toString());
        signIn(ADMIN_TOKEN);
        waitForText("section.app", "None: no newer release can be reached.");

        WebElement chooseVersion = browser.findElement(By.cssSelector("[data-action='select-version']"));
        assertThat(chooseVersion.isEnabled()).as("nothing to post").isFalse();
        assertThat(chooseVersion.getAttribute("title")).isEqualTo("No version to choose: no newer release can be reached");
        assertThat(browser.findElement(By.id("version-console-a-shop")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.cssSelector("[data-action='pause']")).isEnabled())
                .as("the other actions stay the admin's").isTrue();
    }

    @Test
    void anAdminsPostWithoutTheCsrfTokenIsRefused403() throws IOException {
        browser.get(console.toString());
        signIn(ADMIN_TOKEN);
        String before = shop().getMetadata().getResourceVersion();

        Map<?, ?> withoutToken = post("/console/api/namespaces/console-a/managedupgrades/shop/pause", false);

        assertThat(withoutToken.get("status")).isEqualTo(403L);
        assertThat((String) withoutToken.get("body")).contains("CsrfTokenMissing");
        assertThat(shop().getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(post("/console/api/namespaces/console-a/managedupgrades/shop/pause", true).get("status"))
                .as("the same request with the token").isEqualTo(200L);
    }

    @Test
    void anExpiredSessionReturnsTheOpenPageToSignIn() throws IOException {
        browser.get(console.toString());
        signIn(ADMIN_TOKEN);

        clock.advance(Duration.ofMinutes(16));

        waitForText("h2", "Sign in");
        assertThat(browser.findElements(By.cssSelector("section.app"))).isEmpty();
        screen("console-7-expired");
    }

    private void signIn(String token) {
        waitForText("h2", "Sign in");
        browser.findElement(By.id("token")).sendKeys(token);
        collectResponses();
        browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
        waitForText("section.app h2", "console-a/shop");
        // Record what the live stream sends from now on, to scan it for the token.
        browser.executeScript("live.addEventListener('overview', e => (window.liveEvents = window.liveEvents || [])"
                + ".push(e.data));");
        collectResponses();
    }

    /** A POST from the page's own JavaScript, with its session cookie; with or without the page's CSRF token. */
    private Map<?, ?> post(String path, boolean withCsrfToken) {
        return (Map<?, ?>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = {'Content-Type': 'application/json', 'X-Slipway-Console': '1'};
                if (arguments[1]) headers['X-CSRF-Token'] = csrf;
                fetch(arguments[0], {method: 'POST', credentials: 'same-origin', headers: headers,
                    body: JSON.stringify({version: '2.0.0'})})
                  .then(async r => done({status: r.status, body: await r.text()}));
                """, path, withCsrfToken);
    }

    private void click(String action) {
        browser.findElement(By.cssSelector("button[data-action='" + action + "']")).click();
    }

    /** Photographs the screen from its top and fails on any serious or critical axe-core violation on it. */
    private void screen(String name) {
        screen(name, "body");
    }

    /** As {@link #screen(String)}, scrolled to the element {@code selector} selects. */
    private void screen(String name, String selector) {
        collectResponses();
        browser.executeScript("document.querySelector(arguments[0]).scrollIntoView();", selector);
        chromium.screenshot(name);
        assertThat(axe.seriousViolations(browser)).as("axe-core on " + name).isEmpty();
    }

    /** The README shows these screens: copied to docs/screenshots with {@code -Dslipway.screenshots.write=true}. */
    private static void publish(String... names) throws IOException {
        if (!Boolean.getBoolean("slipway.screenshots.write")) {
            return;
        }
        Files.createDirectories(DOCS_SCREENSHOTS);
        for (String name : names) {
            Files.copy(HeadlessChromium.SCREENSHOTS.resolve(name + ".png"), DOCS_SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Everything the browser holds or received since the last call: the page as rendered, the cookies and storage
     * its script can read, its URL, the live events, and the body of every HTTP response (from Chromium's network log).
     */
    @SuppressWarnings("unchecked")
    private void collectResponses() {
        seen.add(browser.getCurrentUrl());
        seen.add(String.valueOf(browser.executeScript("return document.documentElement.outerHTML + document.cookie"
                + " + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
                + " + JSON.stringify(window.liveEvents || []);")));
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                if (!"Network.responseReceived".equals(message.path("method").asText())
                        || message.path("params").path("type").asText().equals("EventSource")) {
                    continue;
                }
                Map<String, Object> body = browser.executeCdpCommand("Network.getResponseBody",
                        Map.of("requestId", message.path("params").path("requestId").asText()));
                seen.add(String.valueOf(body.get("body")));
                responseBodies++;
            } catch (IOException | RuntimeException gone) {
                // A body Chromium no longer holds (the page it belonged to was left): nothing to scan.
            }
        }
    }

    private void waitForText(String selector, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> {
            String shown = text(selector);
            return shown != null && shown.contains(text);
        });
    }

    private void waitUntil(BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> condition.getAsBoolean());
    }

    /** The rendered text, read in one step: live updates may replace the element between two WebDriver calls. */
    private String text(String selector) {
        return (String) browser.executeScript(
                "var element = document.querySelector(arguments[0]); return element ? element.innerText : null;",
                selector);
    }

    private ManagedUpgrade shop() {
        return client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE).withName(SHOP).get();
    }

    /** What the operator's status write does, here done by the test. */
    private void writeStatus(UnaryOperator<ManagedUpgradeStatus> change) {
        ManagedUpgrade shop = shop();
        shop.setStatus(change.apply(shop.getStatus() == null ? new ManagedUpgradeStatus() : shop.getStatus()));
        client.resource(shop).updateStatus();
    }

    /** 1.0.0 with 2.0.0 planned (through the required stop 1.2.0), waiting for approval. */
    private static ManagedUpgradeStatus waitingForApproval() {
        ManagedUpgradeStatus status = StatusFixtures.upToDate("1.0.0");
        List<HopStatus> hops = List.of(new HopStatus("1.2.0", HopReason.RequiredStop, "3"),
                new HopStatus("2.0.0", HopReason.Target, "4"));
        status.setPhase(Phase.WaitingForApproval);
        status.setLatestVersion("2.0.0");
        status.setTargetVersion("2.0.0");
        status.setAvailableUpdates(List.of("1.1.0", "1.2.0", "2.0.0"));
        status.setPlan(new PlanStatus("2.0.0", hops, PlanStatuses.hash("1.0.0", hops), null));
        status.setConditions(List.of(new ConditionBuilder().withType("UpdateAvailable").withStatus("True")
                .withReason("UpdatePlanned").withMessage("1.0.0 → 2.0.0 in 2 hops: 1.2.0 (RequiredStop), 2.0.0 (Target)")
                .withLastTransitionTime("2026-11-26T11:00:00Z").build()));
        status.setMaintenance(new MaintenanceStatus("2026-11-26T11:00:00Z", false, false, "OutsideWindow", null,
                new WindowStatus("2026-11-28T01:00:00Z", "2026-11-28T05:00:00Z", null, null, "weekend", null),
                "2026-11-28T01:00:00Z", null, null));
        status.setDatabase(new DatabaseStatus("2026-11-26T11:00:00Z", "1", List.of(new DriftFindingStatus("ExtraIndex",
                "public.orders_by_day", "Warning", "index is not expected", List.of("DROP INDEX public.orders_by_day"))),
                1, false));
        status.setHistory(List.of(new HistoryEntry("0.9.0", "1.0.0", List.of("1.0.0"), "2026-10-01T02:00:00Z",
                "2026-10-01T02:10:00Z", UpgradeResult.Succeeded, null, null, null,
                List.of(new StepRecord(UpgradeStep.Migrate, 0, "Migrate 1.0.0", "2026-10-01T02:01:00Z",
                        "2026-10-01T02:05:00Z")), null, "alice")));
        return status;
    }

    private static ManagedUpgradeStatus upgrading(ManagedUpgradeStatus status, UpgradeStep step, Integer hop,
            List<HopStatus> hops) {
        status.setPhase(Phase.Upgrading);
        UpgradeProgress upgrade = new UpgradeProgress();
        upgrade.setFrom("1.0.0");
        upgrade.setTo("1.1.0");
        upgrade.setHops(hops);
        upgrade.setHop(hop);
        upgrade.setStep(step);
        upgrade.setStartedAt("2026-11-26T12:00:00Z");
        upgrade.setStepStartedAt("2026-11-26T12:00:40Z");
        upgrade.setRequestedBy(ADMIN);
        status.setUpgrade(upgrade);
        return status;
    }
}
