package dev.slipway.http.page;

import static dev.slipway.http.page.PageStatusFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.page.PageStatus;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.kubernetes.upgrade.PageStatusFixture;
import dev.slipway.testing.HeadlessChromium;
import dev.slipway.testing.StatusFixtures;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The page in a real headless Chromium, as a visitor sees it while the operator rewrites the status. */
class MaintenancePageBrowserTest {

    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static Vertx vertx;
    private final InMemoryPageStatusSource source = new InMemoryPageStatusSource();
    private MaintenancePageServer server;
    private String url;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.start("MaintenancePageBrowserTest");
        browser = chromium.driver();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @BeforeEach
    void startServer() {
        server = new MaintenancePageServer(vertx, source, CLOCK);
        url = "http://localhost:" + server.start(0) + "/crm/contacts";
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void pageAdvancesFromOneHopToTheNextWithoutAReload() throws IOException {
        source.set(PageStatusFixtures.migrating(1, 540L));
        browser.get(url);
        waitForRunningStep(PageStatusFixtures.hopLabel(1));
        screenshot("2-migrating-hop-1-of-3");
        ((JavascriptExecutor) browser).executeScript("window.slipwayTestMarker = 'loaded once';");

        source.set(PageStatusFixtures.migrating(2, 300L));
        waitForRunningStep(PageStatusFixtures.hopLabel(2));
        screenshot("3-migrating-hop-2-of-3");

        assertThat(((JavascriptExecutor) browser).executeScript("return window.slipwayTestMarker;"))
                .as("the page was updated in place, not reloaded").isEqualTo("loaded once");
        assertThat(text(".progress-meta")).contains("Step 4 of 6").contains("50%");
        assertThat(text("#live")).contains("Step 4 of 6");
        assertThat(browser.findElements(By.cssSelector(".step-done"))).hasSize(3);
        assertThat(browser.getTitle()).isEqualTo("Acme CRM · Upgrade in progress");
        assertThat(contentSecurityViolations()).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return getComputedStyle(document.body).fontFamily;")).as("the inline style applies under the CSP")
                .asString().contains("system-ui");
    }

    @Test
    void failureStateRendersLiveWithTheAdministratorsNotice() throws IOException {
        source.set(PageStatusFixtures.migrating(2, null));
        browser.get(url);
        waitForRunningStep(PageStatusFixtures.hopLabel(2));

        source.set(PageStatusFixtures.failedAtHop(2, "Your data is safe. We will announce when Acme CRM is back."));
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(page -> text("h1").equals("The upgrade could not be completed"));
        screenshot("4-failed");
        screenshotNarrowAndDark("4-failed");

        assertThat(text("main")).doesNotContain("notified").contains("The administrators can see what went wrong")
                .contains("Your data is safe. We will announce when Acme CRM is back.");
        assertThat(text(".step-failed .step-label")).isEqualTo(PageStatusFixtures.hopLabel(2));
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-phase")).isEqualTo("failed");
    }

    @Test
    void aMigrationInProgressFromTheOperatorsCheckpointIsShownRunningWithItsElapsedTime() throws IOException {
        // The page status exactly as the executor publishes it for a checkpoint in the second hop's migration that
        // began three minutes ago (the bug this guards: per-hop steps were never "running").
        ManagedUpgrade resource = new ManagedUpgrade();
        resource.setSpec(new ManagedUpgradeSpec());
        resource.getSpec().setProduct("Acme CRM");
        resource.setStatus(StatusFixtures.upgrading());
        UpgradeProgress progress = resource.getStatus().getUpgrade();
        progress.setSteps(new ArrayList<>(progress.getSteps()));
        progress.getSteps().add(new StepRecord(UpgradeStep.Migrate, 1, "Migrate 2.0.0",
                PageStatusFixtures.NOW.minus(Duration.ofMinutes(3)).toString(), null));
        source.set(PageStatusFixture.published(resource, PageStatusFixtures.NOW));
        browser.get(url);

        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(page -> text(".step-running .step-label") != null);
        screenshot("3b-migrating-from-checkpoint");
        assertThat(text(".step-running .step-label")).startsWith("Migrating the database to 2.0.0");
        assertThat(text(".step-running")).contains("In progress").contains("3 min so far");
        assertThat(browser.findElements(By.cssSelector(".step-running"))).hasSize(1);
    }

    @Test
    void anUpgradeCalledOffSaysTheApplicationIsBack() throws IOException {
        source.set(new PageStatus("Acme CRM", "1.1.0", "2.0.1", PageStatus.Phase.RESTORED, PageStatusFixtures.STARTED,
                PageStatusFixtures.NOW, List.of(), null, "The upgrade to 2.0.1 was called off."));
        browser.get(url);

        assertThat(text("h1")).isEqualTo("Acme CRM is available again");
        assertThat(text("main")).doesNotContain("unavailable").doesNotContain("notified");
        screenshot("6-restored");
    }

    @Test
    void noStatusWaitingAndCompletedStatesRender() throws IOException {
        browser.get(url);
        assertThat(text("h1")).isEqualTo("Maintenance in progress");
        screenshot("0-no-status-yet");

        source.set(PageStatusFixtures.waiting(600L));
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(page -> "Acme CRM will be upgraded shortly".equals(text("h1")));
        screenshot("1-waiting");

        source.set(PageStatusFixtures.completed());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(page -> text("h1").equals("Acme CRM is ready"));
        screenshot("5-completed");
        assertThat(text(".progress-meta")).contains("All 6 steps done").contains("100%");
    }

    @Test
    void hostileTextStaysText() {
        String hostile = "<img src=x onerror=\"document.title='owned'\">Acme";
        source.set(new PageStatus(hostile, "1.1.0", "2.0.1", PageStatus.Phase.IN_PROGRESS, null, null, List.of(),
                null, hostile));
        browser.get(url);

        assertThat(text(".product")).isEqualTo(hostile);
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.getTitle()).as("no injected handler renamed the page")
                .isEqualTo(hostile + " · Upgrade in progress");
    }

    private void waitForRunningStep(String label) {
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(page -> label.equals(text(".step-running .step-label")));
    }

    /** The rendered text, read in one step: live updates may replace the element between two WebDriver calls. */
    private String text(String selector) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "var element = document.querySelector(arguments[0]); return element ? element.innerText : null;",
                selector);
    }

    private List<String> contentSecurityViolations() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy")).toList();
    }

    /** The same state on a phone, and with the visitor's system in dark mode. */
    private static void screenshotNarrowAndDark(String name) throws IOException {
        Dimension desktop = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(390, 1100));
        screenshot(name + "-phone");
        browser.manage().window().setSize(desktop);
        ChromeDriver chromium = (ChromeDriver) browser;
        chromium.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        screenshot(name + "-dark");
        chromium.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    private static void screenshot(String name) {
        chromium.screenshot(name);
    }
}
