package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.testing.PostgresServer;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19 item 13 through the real entry point: every bad input is one line that says what to do. */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class MessagesMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final LocalPostgres.Database database = PostgresServer.get().createDatabase("messages");

    @Test
    void aMissingRoleOrPasswordNamesTheOptionsThatGiveThem(QuarkusMainLauncher launcher) {
        LaunchResult noUser = launcher.launch("snapshot", "--db-url", database.jdbcUrl());
        LaunchResult noPassword = launcher.launch("snapshot", "--db-url", database.jdbcUrl(), "--db-user", database.user());

        assertThat(noUser.exitCode()).isEqualTo(2);
        assertThat(noUser.getErrorOutput().strip()).isEqualTo("error: --db-user: no database role given: pass"
                + " --db-user <user> (or user= in --db-url)");
        assertThat(noPassword.exitCode()).isEqualTo(2);
        assertThat(noPassword.getErrorOutput().strip()).hasLineCount(1).doesNotContain(" as null")
                .contains("--password-file", "-W", "SLIPWAY_DB_PASSWORD");
    }

    @Test
    void anUnknownSchemaIsAnErrorNotAnEmptySnapshot(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch(withDatabase("snapshot", "--schema", "public", "--schema", "nosuch"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getOutput()).isEmpty();
        assertThat(result.getErrorOutput().strip()).isEqualTo("error: --schema: no schema named nosuch in the database");
    }

    @Test
    void aMalformedSnapshotIsDescribedInTheFormatsWordsWithItsPlace(QuarkusMainLauncher launcher) throws IOException {
        Path unknownField = Files.writeString(directory.resolve("unknown.json"),
                "{\"formatVersion\": 1,\n \"tables\": [{\"nme\": \"x\"}]}");
        Path wrongKind = Files.writeString(directory.resolve("wrong.json"), "{\"formatVersion\": \"one\"}");

        LaunchResult unknown = launcher.launch(withDatabase("drift", "--expected", unknownField.toString(), "-o", "text"));
        LaunchResult wrong = launcher.launch(withDatabase("drift", "--expected", wrongKind.toString(), "-o", "text"));

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.getErrorOutput().strip()).isEqualTo("error: --expected: " + unknownField
                + " is not a valid schema snapshot: unknown field \"nme\" at tables[0].nme (line 2, column 25)");
        assertThat(wrong.getErrorOutput().strip()).contains("not a valid schema snapshot: a value of the wrong kind"
                + " (a number is expected) at formatVersion").doesNotContain("dev.slipway", "java.", "class");
    }

    @Test
    void windowsGivesTheLineAndColumnOfAYamlErrorAndPrettyPrintsItsJson(QuarkusMainLauncher launcher)
            throws IOException {
        Path broken = Files.writeString(directory.resolve("broken.yaml"),
                "timeZone: UTC\nwindows:\n  - {name: nightly, days: [Mon, startTime: \"22:00\"\n");

        LaunchResult error = launcher.launch("windows", "--spec", broken.toString(), "--output", "text");
        LaunchResult evaluation = launcher.launch("windows", "--spec", "src/test/resources/windows/berlin.yaml",
                "--at", "2026-11-26T12:00:00Z");

        assertThat(error.exitCode()).isEqualTo(2);
        assertThat(error.getErrorOutput().strip()).hasLineCount(1)
                .matches("error: " + java.util.regex.Pattern.quote(broken.toString())
                        + " is not valid YAML/JSON at line \\d+, column \\d+: .*");
        JsonNode parsed = JSON.readTree(evaluation.getOutput());
        assertThat(evaluation.getOutput().strip()).isEqualTo(CliOutput.JSON.writeValueAsString(parsed))
                .contains("\n  \"at\" : ");
    }

    private String[] withDatabase(String... arguments) throws IOException {
        Path password = Files.writeString(directory.resolve("db-password"), database.password() + "\n");
        String[] connection = {"--db-url", database.jdbcUrl(), "--db-user", database.user(), "--password-file",
                password.toString()};
        String[] all = new String[arguments.length + connection.length];
        System.arraycopy(arguments, 0, all, 0, arguments.length);
        System.arraycopy(connection, 0, all, arguments.length, connection.length);
        return all;
    }
}
