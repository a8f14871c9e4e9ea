package dev.slipway.http.page;

import static dev.slipway.http.page.PageStatusFixtures.CLOCK;
import static dev.slipway.http.page.PageStatusFixtures.HOPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.page.PageStatus.Phase;
import dev.slipway.api.page.PageStatus;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaintenancePageServerTest {

    private static Vertx vertx;
    private final InMemoryPageStatusSource source = new InMemoryPageStatusSource();
    private MaintenancePageServer server;
    private PageHttp http;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void startServer() {
        server = new MaintenancePageServer(vertx, source, CLOCK);
        http = new PageHttp(server.start(0));
    }

    @AfterEach
    void stopServer() {
        http.close();
        server.close();
    }

    @Test
    void waitingPageAnnouncesTheUpgradeItsPlanAndHowLongItUsuallyTakes() {
        source.set(PageStatusFixtures.waiting(600L));

        HttpResponse<String> page = http.get("/");

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("<html lang=\"en\">", "<title>Acme CRM · Scheduled maintenance</title>")
                .contains("Acme CRM will be upgraded shortly")
                .contains("Upgrade from <strong>1.1.0</strong> to <strong>2.0.1</strong>")
                .contains("6 steps planned", "Expected duration", "About 10 min");
        assertThat(stepStates(page.body())).containsOnly("waiting");
    }

    @Test
    void migratingPageShowsWhichHopRunsProgressElapsedTimeAndRemainingTime() {
        source.set(PageStatusFixtures.migrating(2, 300L));

        String page = http.get("/").body();

        assertThat(page).contains("Acme CRM is being upgraded")
                .contains("Upgrading from <strong>1.1.0</strong> to <strong>2.0.1</strong>")
                .contains("Step 4 of 6", "<progress max=\"100\" value=\"50\" aria-labelledby=\"progress-text\">")
                .contains("<dt>Elapsed</dt><dd>4 min</dd>", "<dt>Time remaining</dt><dd>About 5 min</dd>")
                .contains("aria-live=\"polite\"");
        assertThat(stepStates(page)).containsExactly("done", "done", "done", "running", "waiting", "waiting");
        assertThat(runningStep(page)).isEqualTo(PageStatusFixtures.hopLabel(2)).contains("hop 2 of " + HOPS);
    }

    @Test
    void withoutHistoryNoEstimateIsShownAndProgramsRetryAfterAMinute() {
        source.set(PageStatusFixtures.migrating(1, null));

        HttpResponse<String> page = http.get("/");

        assertThat(page.body()).contains("Elapsed").doesNotContain("remaining").doesNotContain("Expected duration");
        assertThat(page.headers().firstValue("Retry-After")).hasValue("60");
    }

    @Test
    void failedPageSaysAdministratorsCanSeeWhatWentWrongAndMarksTheFailedStep() {
        source.set(PageStatusFixtures.failedAtHop(3, "We will let you know when Acme CRM is back."));

        String page = http.get("/").body();

        assertThat(page).contains("The upgrade could not be completed")
                .contains("The administrators can see what went wrong")
                .contains("Stopped at step 5 of 6")
                .contains("<p class=\"notice\">We will let you know when Acme CRM is back.</p>")
                .doesNotContain("Time remaining");
        assertThat(stepStates(page)).containsExactly("done", "done", "done", "done", "failed", "waiting");
    }

    @Test
    void completedPageSaysTheApplicationIsReadyAndSendsVisitorsBack() {
        source.set(PageStatusFixtures.completed());

        HttpResponse<String> response = http.get("/");
        String page = response.body();

        assertThat(response.headers().firstValue("Retry-After")).as("the application is about to return")
                .hasValue("5");
        assertThat(page).contains("Acme CRM is ready", "Upgraded from <strong>1.1.0</strong> to <strong>2.0.1</strong>")
                .contains("All 6 steps done", "<dt>Took</dt><dd>4 min</dd>")
                .contains("<progress max=\"100\" value=\"100\" aria-labelledby=\"progress-text\">")
                .contains("<a class=\"button\" href=\"\">Continue to Acme CRM</a>");
        assertThat(stepStates(page)).containsOnly("done");
    }

    @Test
    void withoutAStatusEveryPathShowsAGenericMaintenancePage() {
        for (String path : List.of("/", "/crm/contacts/42?tab=notes", "/favicon.ico")) {
            HttpResponse<String> page = http.get(path);

            assertThat(page.statusCode()).as(path).isEqualTo(503);
            assertThat(page.body()).as(path).contains("<h1>Maintenance in progress</h1>")
                    .doesNotContain("class=\"step ");
        }
        assertThat(http.get("/status.json").body()).isEqualTo("{\"message\":\"Maintenance in progress.\"}");
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void aStatusWithOnlyAPhaseStillReadsWell(Phase phase) {
        source.set(new PageStatus(null, null, null, phase, null, null, null, null, null));

        String page = http.get("/").body();

        String content = page.substring(page.indexOf("<main"), page.indexOf("</footer>"));
        assertThat(content).doesNotContainIgnoringCase("null").contains("<h1>").doesNotContain("<h1></h1>");
        assertThat(page).doesNotContain("<title></title>", "<title> ·");
    }

    @Test
    void withoutJavaScriptThePageRefreshesItself() {
        source.set(PageStatusFixtures.migrating(1, null));

        assertThat(http.get("/").body()).contains("<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>");
    }

    @Test
    void statusJsonIsThePublicStatusAsTheOperatorWroteIt() {
        PageStatus status = PageStatusFixtures.migrating(2, 300L);
        source.set(status);

        HttpResponse<String> response = http.send(http.request("/status.json").header("Accept", "application/json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(PageStatus.fromJson(response.body())).contains(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console", "/console/", "/console/shop/web", "/console/login"})
    void theAdminConsoleIsNeverServedThroughThePublicPage(String path) {
        source.set(PageStatusFixtures.migrating(2, 300L));

        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> response = http.send(http.request(path).header("Accept", "text/html")
                    .method(method, HttpRequest.BodyPublishers.ofString("")));

            assertThat(response.statusCode()).as(method + " " + path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("Acme CRM");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/contacts", "/status"})
    void jsonClientsGet503WithRetryAfterFromTheEstimate(String path) {
        source.set(PageStatusFixtures.migrating(2, 300L));

        HttpResponse<String> response = http.send(http.request(path).header("Accept", "application/json"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("300");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"error\":\"maintenance\",\"message\":\"Acme CRM is being upgraded")
                .contains("\"retryAfterSeconds\":300");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    void writesAndOtherMethodsGet503WithRetryAfterEvenOnPublicPaths(String method) {
        source.clear();

        for (String path : List.of("/", "/status.json", "/events", "/api/v1/contacts")) {
            HttpResponse<String> response = http.send(http.request(path).header("Accept", "text/html")
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));

            assertThat(response.statusCode()).as(method + " " + path).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).as(path).hasValue("60");
            assertThat(response.body()).as(path).startsWith("{\"error\":\"maintenance\"");
        }
    }

    @Test
    void headGetsThePageHeadersWithoutABody() {
        source.set(PageStatusFixtures.migrating(1, 120L));

        HttpResponse<String> response = http.send(http.request("/")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("120");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void hostileTextFromTheStatusIsEscapedInThePageAndInLiveUpdates() throws Exception {
        String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        source.set(new PageStatus(hostile, "1.1.0\"><b>", hostile, Phase.IN_PROGRESS, null, null,
                List.of(new PageStatus.Step("x", hostile, PageStatus.StepState.RUNNING, null, null)), null, hostile));
        http.subscribe();

        String page = http.get("/").body();
        String liveUpdate = http.nextEvent(event -> event.contains("\"phase\":\"in-progress\""));

        String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;";
        assertThat(page).contains("<span>" + escaped + "</span></p>")
                .contains("<span class=\"step-label\">" + escaped + "</span>")
                .contains("<p class=\"notice\">" + escaped + "</p>")
                .contains("<strong>1.1.0&quot;&gt;&lt;b&gt;</strong>")
                .doesNotContain("<script>alert", "<img src=x", "<b>");
        assertThat(Pattern.compile("<script").matcher(page).results().count()).as("only the page's own script")
                .isEqualTo(1);
        JsonNode update = new ObjectMapper().readTree(liveUpdate);
        assertThat(update.get("html").asText()).contains(escaped).doesNotContain("<script>alert", "<img src=x");
        // The page script sets these as text (textContent, document.title), where markup stays inert text.
        assertThat(update.get("title").asText()).isEqualTo(hostile + " · Upgrade in progress");
        assertThat(update.get("summary").asText()).startsWith(hostile + " is being upgraded");
    }

    @Test
    void securityHeadersAllowOnlyThePagesOwnInlineStyleAndScript() {
        source.set(PageStatusFixtures.migrating(1, null));

        HttpResponse<String> first = http.get("/");
        HttpResponse<String> second = http.get("/");

        String policy = first.headers().firstValue("Content-Security-Policy").orElseThrow();
        Matcher nonce = Pattern.compile("script-src 'nonce-([A-Za-z0-9+/=]+)'").matcher(policy);
        assertThat(nonce.find()).as(policy).isTrue();
        assertThat(policy).startsWith("default-src 'none';").contains("connect-src 'self'", "frame-ancestors 'none'");
        assertThat(first.body()).contains("<script nonce=\"" + nonce.group(1) + "\">",
                "<style nonce=\"" + nonce.group(1) + "\">");
        assertThat(second.headers().firstValue("Content-Security-Policy")).isNotEqualTo(Optional.of(policy));
        for (HttpResponse<String> response : List.of(first, http.get("/status.json"),
                http.send(http.request("/").header("Accept", "application/json")))) {
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
        }
    }

    @Test
    void liveUpdatesPushEveryChangeOfTheStatus() throws InterruptedException {
        source.set(PageStatusFixtures.migrating(1, null));
        http.subscribe();
        assertThat(http.nextEvent(event -> true)).contains("Step 3 of 6");

        source.set(PageStatusFixtures.migrating(2, null));
        String secondHop = http.nextEvent(event -> event.contains("Step 4 of 6"));
        source.set(PageStatusFixtures.failedAtHop(2, null));
        String failed = http.nextEvent(event -> event.contains("\"phase\":\"failed\""));

        assertThat(secondHop).contains("\"summary\":\"Acme CRM is being upgraded: Step 4 of 6, 50% complete. Now: "
                + PageStatusFixtures.hopLabel(2) + ".\"");
        assertThat(failed).contains("The administrators can see what went wrong");
    }

    /**
     * The page shows the status and nothing else: not the operator's Secret or database host (even when a careless
     * writer puts them into the ConfigMap beside the known fields), not this machine's name, environment or settings.
     */
    @Test
    void secretsScanFindsNothingButTheStatusFields() throws Exception {
        String adminPassword = "Adm1n-Pa55w0rd-f7Qx";
        String databaseHost = "acme-crm-db.crm-prod.svc.cluster.local";
        System.setProperty("slipway.test.admin-password", adminPassword);
        String careless = PageStatusFixtures.failedAtHop(2, "We are working on it.").toJson().replaceFirst("^\\{",
                "{\"databaseUrl\":\"jdbc:postgresql://" + databaseHost + ":5432/crm\",\"adminPassword\":\""
                        + adminPassword + "\",\"error\":\"org.postgresql.util.PSQLException: at " + databaseHost
                        + "\",");
        source.set(PageStatus.fromJson(careless).orElseThrow());
        http.subscribe();

        List<String> served = new ArrayList<>();
        for (HttpResponse<String> response : List.of(http.get("/"), http.get("/status.json"),
                http.send(http.request("/").header("Accept", "application/json")),
                http.send(http.request("/").POST(HttpRequest.BodyPublishers.noBody())))) {
            served.add(response.headers().map().toString());
            served.add(response.body());
        }
        served.add(http.nextEvent(event -> true));
        String everything = String.join("\n", served);

        assertThat(everything).contains("We are working on it.", PageStatusFixtures.hopLabel(2))
                .doesNotContain(adminPassword, databaseHost, "jdbc:", "Exception", "postgres")
                .doesNotContainIgnoringCase("server:").doesNotContainIgnoringCase("x-powered-by");
        assertThat(everything).doesNotContain(machineSecrets());
        assertThat(Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b").matcher(everything).find())
                .as("no IP address").isFalse();
        System.clearProperty("slipway.test.admin-password");
    }

    /** Values that identify this machine or process and that the page must never reveal. */
    private static String[] machineSecrets() throws UnknownHostException {
        List<String> values = new ArrayList<>(List.of(InetAddress.getLocalHost().getHostName(),
                System.getProperty("user.name"), System.getProperty("user.dir"), System.getProperty("java.home")));
        values.addAll(System.getenv().values());
        // Shorter values ("vm", "root") are ordinary words, not identifying information.
        return values.stream().filter(value -> value != null && value.length() >= 6).toArray(String[]::new);
    }

    private static List<String> stepStates(String page) {
        return Pattern.compile("<li class=\"step step-([a-z]+)\">").matcher(page).results()
                .map(match -> match.group(1)).toList();
    }

    private static String runningStep(String page) {
        Matcher running = Pattern.compile("<li class=\"step step-running\">.*?<span class=\"step-label\">(.*?)</span>")
                .matcher(page);
        assertThat(running.find()).as("a running step").isTrue();
        return running.group(1);
    }
}
