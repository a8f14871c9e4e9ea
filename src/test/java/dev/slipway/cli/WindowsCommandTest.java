package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The windows command run in-process through picocli with a fixed clock. */
class WindowsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final String MAINTENANCE = """
              timeZone: Europe/Berlin
              windows:
                - {name: weeknights, days: [Mon, Tue, Wed, Thu], startTime: "22:00", duration: 4h}
              exclusions:
                - {name: black-friday, start: "2026-11-26T00:00:00-05:00", end: "2026-11-30T12:00:00Z", scope: MinorAndMajor}
              minimumRemaining: 45m
            """;

    @TempDir
    Path directory;

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @Test
    void oneInstantPrintsOneObjectWithExactlyTheDocumentedFields() throws IOException {
        Run run = run("windows.yaml", "maintenance:\n" + MAINTENANCE, "--at", "2026-11-26T12:00:00Z", "--scope", "patch");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).isEqualTo(JSON.readTree("""
                {"at": "2026-11-26T12:00:00Z", "inWindow": false, "canStart": false, "reason": "OutsideWindow",
                 "currentWindow": null,
                 "nextWindow": {"start": "2026-11-26T21:00:00Z", "end": "2026-11-27T01:00:00Z",
                                "startLocal": "2026-11-26T22:00:00", "endLocal": "2026-11-27T02:00:00"},
                 "nextEligibleStart": "2026-11-26T21:00:00Z", "latestStart": "2026-11-27T00:15:00Z"}
                """));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void withoutAtItEvaluatesNowFromTheClock() throws IOException {
        Run run = run("windows.yaml", "maintenance:\n" + MAINTENANCE);

        assertThat(run.json().get("at").asText()).isEqualTo("2026-11-26T12:00:00Z");
    }

    @Test
    void severalInstantsPrintAnArrayAndTheScopeDecidesWhichExclusionsApply() throws IOException {
        String[] ats = {"--at", "2026-11-26T21:30:00Z", "--at", "2026-11-26T22:30:00+01:00"};
        Run patch = run("windows.yaml", "maintenance:\n" + MAINTENANCE, with(ats, "--scope", "patch"));
        Run major = run("windows.yaml", "maintenance:\n" + MAINTENANCE, with(ats, "--scope", "major"));

        assertThat(patch.json().isArray()).isTrue();
        assertThat(patch.json().findValuesAsText("reason")).containsExactly("InWindow", "InWindow");
        assertThat(patch.json().get(1).get("at").asText()).isEqualTo("2026-11-26T21:30:00Z");
        assertThat(major.json().findValuesAsText("reason")).containsExactly("Excluded", "Excluded");
    }

    @Test
    void acceptsAManagedUpgradeABareMaintenanceObjectAndJson() throws IOException {
        String managedUpgrade = "apiVersion: slipway.dev/v1alpha1\nkind: ManagedUpgrade\nspec:\n  maintenance:\n"
                + MAINTENANCE.indent(2);
        String json = JSON.writeValueAsString(new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(MAINTENANCE));

        for (Run run : new Run[] {run("upgrade.yaml", managedUpgrade, "--at", "2026-11-26T21:30:00Z", "--scope", "patch"),
                run("bare.yaml", MAINTENANCE, "--at", "2026-11-26T21:30:00Z", "--scope", "patch"),
                run("bare.json", json, "--at", "2026-11-26T21:30:00Z", "--scope", "PATCH")}) {
            assertThat(run.exitCode()).isZero();
            assertThat(run.json().get("currentWindow").get("start").asText()).isEqualTo("2026-11-26T21:00:00Z");
        }
    }

    @Test
    void aDocumentWithoutMaintenanceMeansUpgradesMayStartAnyTime() throws IOException {
        Run run = run("upgrade.yaml", "kind: ManagedUpgrade\nspec:\n  application: shop\n");

        assertThat(run.json().get("reason").asText()).isEqualTo("NotConfigured");
        assertThat(run.json().get("canStart").asBoolean()).isTrue();
    }

    @Test
    void anInvalidSpecExitsTwoWithTheFieldPathAsTheUserWroteIt() throws IOException {
        String tooShort = MAINTENANCE.replace("duration: 4h", "duration: 10m");

        Run withKey = run("windows.yaml", "maintenance:\n" + tooShort);
        Run managed = run("upgrade.yaml", "spec:\n  maintenance:\n" + tooShort.indent(2));
        Run bare = run("bare.yaml", tooShort);

        assertThat(withKey.exitCode()).isEqualTo(2);
        assertThat(withKey.json()).isEqualTo(JSON.readTree("""
                {"error": {"code": "InvalidSpec", "field": "maintenance.windows[0].duration",
                           "message": "must be from 30m to 168h, got 10m"}}"""));
        assertThat(managed.json().at("/error/field").asText()).isEqualTo("spec.maintenance.windows[0].duration");
        assertThat(bare.json().at("/error/field").asText()).isEqualTo("windows[0].duration");
    }

    @Test
    void badOptionsAndUnreadableFilesAreErrorsNotStackTraces() throws IOException {
        Run badAt = run("windows.yaml", "maintenance:\n" + MAINTENANCE, "--at", "tomorrow");
        Run badScope = run("windows.yaml", "maintenance:\n" + MAINTENANCE, "--scope", "huge");
        Run notYaml = run("windows.yaml", "maintenance: [unclosed");
        Run missing = runArgs("--spec", directory.resolve("absent.yaml").toString());

        assertThat(badAt.exitCode()).isEqualTo(2);
        assertThat(badAt.json().at("/error/code").asText()).isEqualTo("Usage");
        assertThat(badAt.json().at("/error/field").asText()).isEqualTo("--at");
        assertThat(badScope.json().at("/error/field").asText()).isEqualTo("--scope");
        assertThat(notYaml.exitCode()).isEqualTo(2);
        assertThat(notYaml.json().at("/error/code").asText()).isEqualTo("InvalidInput");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.json().at("/error/message").asText()).contains("absent.yaml");
    }

    @Test
    void warningsGoToStandardErrorSoStandardOutputStaysJson() throws IOException {
        Run run = run("windows.yaml", "maintenance:\n" + MAINTENANCE.replace("days: [Mon, Tue, Wed, Thu]", "monthDays: [30]"),
                "--at", "2026-11-26T12:00:00Z", "--scope", "patch");

        assertThat(run.json().get("reason").asText()).isEqualTo("OutsideWindow");
        assertThat(run.err()).startsWith("warning: maintenance.windows[0].monthDays[0]: 30 does not exist in every month");
    }

    @Test
    void textModeShowsTheNextThreeWindowsInLocalTimeAndUtc() throws IOException {
        Run run = run("windows.yaml", "maintenance:\n" + MAINTENANCE, "--output", "text", "--scope", "patch");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("At 2026-11-26T12:00:00Z: an upgrade may not start now (OutsideWindow)")
                .contains("Next eligible start: 2026-11-26T21:00:00Z")
                .contains("Thu 2026-11-26 22:00 – Fri 2026-11-27 02:00 Europe/Berlin  (Thu 2026-11-26 21:00 – Fri 2026-11-27 01:00 UTC)  weeknights")
                .contains("Mon 2026-11-30 22:00 – Tue 2026-12-01 02:00 Europe/Berlin")
                .contains("Tue 2026-12-01 22:00 – Wed 2026-12-02 02:00 Europe/Berlin")
                .doesNotContain("Wed 2026-12-02 22:00");
    }

    @Test
    void textModeErrorsAreOneLineOnStandardError() throws IOException {
        Run run = run("windows.yaml", "maintenance:\n  timeZone: UTC+2\n  windows: []\n", "--output", "text");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: maintenance.timeZone: \"UTC+2\" is not an IANA time zone id"
                + " (such as Europe/Berlin, America/New_York or UTC)\n");
    }

    private Run run(String fileName, String content, String... options) throws IOException {
        Path file = directory.resolve(fileName);
        Files.writeString(file, content);
        return runArgs(with(new String[] {"--spec", file.toString()}, options));
    }

    private Run runArgs(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new WindowsCommand(NOW));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static String[] with(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
