package dev.slipway.cli;

import dev.slipway.demo.LocalPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.testing.PostgresServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapshot} and {@code drift} through the real entry point: exit codes, stdout carrying only the result. */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class DriftCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final LocalPostgres.Database database = PostgresServer.get().createDatabase("cli");

    @Test
    void snapshotPrintsTheCanonicalSnapshotAndDriftOfTheSameDatabaseIsClean(QuarkusMainLauncher launcher) throws IOException {
        database.execute("CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL)",
                "CREATE INDEX customers_email_idx ON customers (email)");
        Path snapshot = directory.resolve("expected.json");

        LaunchResult taken = launcher.launch(withDatabase("snapshot"));
        Files.writeString(snapshot, taken.getOutput() + "\n");
        LaunchResult drift = launcher.launch(withDatabase("drift", "--expected", snapshot.toString()));

        assertThat(taken.exitCode()).isZero();
        assertThat(JSON.readTree(taken.getOutput()).at("/tables/0/name").asText()).isEqualTo("public.customers");
        assertThat(drift.exitCode()).isZero();
        assertThat(JSON.readTree(drift.getOutput()).get("findings")).isEmpty();
    }

    @Test
    void driftReportsFindingsAsJsonWithExitCodeOneAndFixRestoresWithoutDropping(QuarkusMainLauncher launcher)
            throws IOException {
        database.execute("CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL)",
                "CREATE INDEX customers_email_idx ON customers (email)");
        Path snapshot = directory.resolve("expected.json");
        Files.writeString(snapshot, launcher.launch(withDatabase("snapshot")).getOutput());
        database.execute("DROP INDEX customers_email_idx", "CREATE TABLE admin_notes (note text)");

        LaunchResult drift = launcher.launch(withDatabase("drift", "--expected", snapshot.toString()));
        LaunchResult dryRun = launcher.launch(withDatabase("drift", "--expected", snapshot.toString(), "--fix", "--dry-run"));
        LaunchResult fixed = launcher.launch(withDatabase("drift", "--expected", snapshot.toString(), "--fix"));

        assertThat(drift.exitCode()).isEqualTo(1);
        JsonNode findings = JSON.readTree(drift.getOutput()).get("findings");
        assertThat(findings).hasSize(2);
        assertThat(findings.get(0).get("category").asText()).isEqualTo("extra-table");
        assertThat(findings.get(0).get("severity").asText()).isEqualTo("Warning");
        assertThat(findings.get(1).get("category").asText()).isEqualTo("missing-index");
        assertThat(findings.get(1).get("severity").asText()).isEqualTo("Fixable");
        assertThat(findings.get(1).get("statements").get(0).asText())
                .isEqualTo("CREATE INDEX customers_email_idx ON public.customers USING btree (email)");
        assertThat(dryRun.getErrorOutput()).contains("would apply: CREATE INDEX customers_email_idx");
        assertThat(JSON.readTree(fixed.getOutput()).get("remainingFindings")).hasSize(1);
        assertThat(fixed.getErrorOutput()).contains("applying: CREATE INDEX customers_email_idx");
        assertThat(fixed.exitCode()).isEqualTo(1); // the admin's extra table stays, reported as a Warning
        assertThat(launcher.launch(withDatabase("drift", "--expected", snapshot.toString(), "-o", "text")).getOutput())
                .startsWith("1 finding (0 Blocking, 0 Fixable, 1 Warning)")
                .contains("Warning   extra-table          public.admin_notes: table is not part of the expected schema");
    }

    @Test
    void anUnreachableDatabaseIsExitCodeTwoWithAOneLineJsonErrorAndNoPassword(QuarkusMainLauncher launcher)
            throws IOException {
        Path expected = directory.resolve("expected.json");
        Files.writeString(expected, "{\"formatVersion\": 1, \"schemas\": [\"public\"]}");
        Path password = directory.resolve("password");
        Files.writeString(password, "pa55-w0rd-never-shown\n");

        LaunchResult result = launcher.launch("drift", "--db-url", "jdbc:postgresql://127.0.0.1:1/app?connectTimeout=2",
                "--db-user", "app", "--password-file", password.toString(), "--expected", expected.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        JsonNode error = JSON.readTree(result.getOutput()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("ConnectionFailed");
        assertThat(error.get("message").asText()).startsWith("cannot use the database at jdbc:postgresql://127.0.0.1:1/app");
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain("pa55-w0rd-never-shown", "\tat ");
    }

    @Test
    void aBrokenSnapshotOrAWrongPasswordIsExitCodeTwoWithAOneLineMessage(QuarkusMainLauncher launcher)
            throws IOException {
        Path broken = directory.resolve("broken.json");
        Files.writeString(broken, "{\"formatVersion\": 1, \"tables\": [{\"nme\": \"x\"}]}");
        Path wrongPassword = directory.resolve("password");
        Files.writeString(wrongPassword, "wrong-secret-value");

        LaunchResult invalid = launcher.launch(withDatabase("drift", "--expected", broken.toString(), "-o", "text"));
        LaunchResult refused = launcher.launch("snapshot", "--db-url", database.jdbcUrl(), "--db-user", database.user(),
                "--password-file", wrongPassword.toString());

        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.getErrorOutput()).startsWith("error: --expected: " + broken + " is not a valid schema snapshot")
                .doesNotContain("\tat ");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.getOutput()).isEmpty();
        assertThat(refused.getErrorOutput().strip()).startsWith("error: cannot use the database at")
                .contains("password authentication failed").doesNotContain("wrong-secret-value").hasLineCount(1);
    }

    private String[] withDatabase(String... arguments) throws IOException {
        Path password = directory.resolve("db-password");
        Files.writeString(password, database.password() + "\n");
        String[] connection = {"--db-url", database.jdbcUrl(), "--db-user", database.user(), "--password-file",
                password.toString()};
        String[] all = new String[arguments.length + connection.length];
        System.arraycopy(arguments, 0, all, 0, arguments.length);
        System.arraycopy(connection, 0, all, arguments.length, connection.length);
        return all;
    }
}
