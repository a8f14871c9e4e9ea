package dev.slipway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Accessibility checks with axe-core, the npm package pinned in {@code src/test/a11y} (installed by the build's
 * {@code install-axe-core} execution): its script is injected into the page under test and {@code axe.run} asked for
 * violations. Without npm the checks skip with a notice, unless {@code -Dslipway.browser.required=true}.
 */
public final class Axe {

    private static final Path SCRIPT = Path.of("src", "test", "a11y", "node_modules", "axe-core", "axe.min.js");

    private final String script;

    private Axe(String script) {
        this.script = script;
    }

    /** axe-core as installed by the build, or a skip (a failure where the browser tests are required). */
    public static Axe installed() throws IOException {
        if (!Files.isRegularFile(SCRIPT)) {
            HeadlessChromium.required(SCRIPT + " is missing: install npm and run the build (its install-axe-core"
                    + " execution runs npm ci in src/test/a11y)");
        }
        return new Axe(Files.readString(SCRIPT));
    }

    /** The page's violations of impact serious or critical, each as "rule (impact): help — targets". */
    public List<String> seriousViolations(WebDriver browser) {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript(script);
        @SuppressWarnings("unchecked")
        Map<String, Object> results = (Map<String, Object>) page.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(results => done({passes: results.passes.length, violations: results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')).join(', ')}))}))
                  .catch(failure => done({error: String(failure)}));
                """);
        if (results.get("error") != null || ((Number) results.get("passes")).intValue() == 0) {
            throw new IllegalStateException("axe-core did not check the page: " + results);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) results.get("violations");
        return violations.stream().filter(v -> "serious".equals(v.get("impact")) || "critical".equals(v.get("impact")))
                .map(v -> v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " — " + v.get("targets"))
                .toList();
    }
}
