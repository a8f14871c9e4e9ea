package dev.slipway.cli;

import dev.slipway.demo.LocalPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.database.BackupNames;
import dev.slipway.database.DbConnection;
import dev.slipway.database.TemplateCloner;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.database.PgSchemaReader;
import dev.slipway.database.SnapshotJson;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.testing.Feeds;
import dev.slipway.testing.PostgresServer;
import dev.slipway.testing.SqlRows;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} and {@code migrate} through the real entry point against a file feed of a three-release product:
 * 1.0.0 (schema 1), 1.1.0 (schema 2, a required stop), 1.2.0 (schema 3), with cumulative bundles and snapshots.
 */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class VerifyAndMigrateCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> MIGRATIONS = new LinkedHashMap<>();

    static {
        MIGRATIONS.put("V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);");
        MIGRATIONS.put("V2__customer_email_index.sql", "CREATE INDEX customers_email_idx ON customers (email);");
        MIGRATIONS.put("V3__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY,"
                + " customer_id bigint NOT NULL REFERENCES customers (id));");
    }

    @TempDir
    Path directory;

    private Path feed;
    private LocalPostgres.Database database;

    @BeforeEach
    void publishTheProductAndInstallVersionOne() throws IOException {
        Feeds feeds = Feeds.product("shop");
        LocalPostgres.Database reference = PostgresServer.get().createDatabase("vendor");
        String[] versions = {"1.0.0", "1.1.0", "1.2.0"};
        for (int schema = 1; schema <= 3; schema++) {
            Path bundle = bundle(versions[schema - 1], schema);
            migrate(reference, bundle, schema);
            byte[] snapshot = SnapshotJson.writeBytes(PgSchemaReader.read(reference.connection(), List.of("public")));
            Path snapshotFile = Files.write(directory.resolve("schema-" + versions[schema - 1] + ".json"), snapshot);
            byte[] zip = zip(bundle);
            Path zipFile = Files.write(directory.resolve("bundle-" + versions[schema - 1] + ".zip"), zip);
            ObjectNode release = feeds.release(versions[schema - 1]);
            release.putObject("migrations").put("bundleUrl", zipFile.getFileName().toString())
                    .put("sha256", ReleaseApiClient.sha256Hex(zip)).put("schemaVersion", String.valueOf(schema));
            release.putObject("schemaSnapshot").put("url", snapshotFile.getFileName().toString())
                    .put("sha256", ReleaseApiClient.sha256Hex(snapshot));
            release.put("requiredStop", schema == 2);
        }
        feed = Files.writeString(directory.resolve("releases.json"), feeds.json());
        database = PostgresServer.get().createDatabase("shop");
        migrate(database, directory.resolve("bundle-src-1.0.0"), 1);
    }

    @Test
    void migrateStopsAtTheRequiredStopPrintsEachMigrationAndLeavesADatabaseThatVerifiesClean(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult migrated = launcher.launch(connected(database.connection(), "migrate", "--to", "1.2.0"));
        LaunchResult verified = launcher.launch(connected(
                PostgresServer.get().createReadOnlyRole(database, "public"), "verify", "--version", "1.2.0"));

        assertThat(migrated.exitCode()).as(migrated.getErrorOutput()).isZero();
        JsonNode result = JSON.readTree(migrated.getOutput());
        assertThat(result.get("from").asText()).isEqualTo("1.0.0");
        assertThat(result.at("/verification/clean").asBoolean()).isTrue();
        assertThat(result.get("hops")).hasSize(2);
        assertThat(result.at("/hops/0/reason").asText()).isEqualTo("RequiredStop");
        assertThat(result.at("/hops/0/applied/0/script").asText()).isEqualTo("V2__customer_email_index.sql");
        assertThat(result.at("/hops/1/applied/0/script").asText()).isEqualTo("V3__create_orders.sql");
        assertThat(migrated.getErrorOutput()).contains("hop 1 of 2 (1.1.0): migrating to schema 2",
                "applying V2__customer_email_index.sql", "hop 2 of 2 (1.2.0): migrating to schema 3",
                "applying V3__create_orders.sql");
        assertThat(verified.exitCode()).as(verified.getOutput()).isZero();
        assertThat(JSON.readTree(verified.getOutput()).at("/report/migrations/currentVersion").asText()).isEqualTo("3");
    }

    @Test
    void verifyThroughAReadOnlyRoleReportsDriftAndABrokenHistoryBlocksMigrate(QuarkusMainLauncher launcher)
            throws IOException {
        database.execute("ALTER TABLE customers ALTER COLUMN email TYPE varchar(200)");
        DbConnection readOnly = PostgresServer.get().createReadOnlyRole(database, "public");

        LaunchResult verified = launcher.launch(connected(readOnly, "verify", "--version", "1.0.0"));
        LaunchResult text = launcher.launch(connected(readOnly, "verify", "--version", "1.0.0", "-o", "text"));
        LaunchResult refused = launcher.launch(connected(database.connection(), "migrate", "--to", "1.2.0", "--from", "1.0.0"));

        assertThat(verified.exitCode()).isEqualTo(1);
        JsonNode report = JSON.readTree(verified.getOutput()).get("report");
        assertThat(report.get("blocking").asBoolean()).isTrue();
        assertThat(report.at("/findings/0/category").asText()).isEqualTo("column-type");
        assertThat(text.getOutput()).contains("Blocking  column-type", "BLOCKING: an upgrade would stop here.");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(refused.getOutput()).get("hops")).isEmpty();
        assertThat(database.relationExists("public.orders")).isFalse();
    }

    @Test
    void aBackupIsVerifiedAgainstTheReleaseItWasTakenFromByPointingVerifyAtIt(QuarkusMainLauncher launcher)
            throws IOException {
        String backup = BackupNames.name(database.name(), "1.0.0", java.time.Instant.parse("2026-12-05T12:00:00Z"));
        new TemplateCloner(PostgresServer.get().adminConnection().onDatabase(database.name())).cloneTo(backup);
        LaunchResult migrated = launcher.launch(connected(database.connection(), "migrate", "--to", "1.2.0"));
        DbConnection copy = database.connection().onDatabase(backup);

        LaunchResult verified = launcher.launch(connected(copy, "verify", "--version", "1.0.0"));
        SqlRows.execute(copy, "ALTER TABLE customers ALTER COLUMN email TYPE varchar(200)");
        LaunchResult drifted = launcher.launch(connected(copy, "verify", "--version", "1.0.0"));

        assertThat(migrated.exitCode()).as(migrated.getErrorOutput()).isZero();
        assertThat(verified.exitCode()).as(verified.getOutput()).isZero();
        assertThat(JSON.readTree(verified.getOutput()).at("/report/migrations/currentVersion").asText()).isEqualTo("1");
        assertThat(drifted.exitCode()).as("the backup, not the migrated database, is read").isEqualTo(1);
        assertThat(JSON.readTree(drifted.getOutput()).at("/report/findings/0/category").asText())
                .isEqualTo("column-type");
    }

    @Test
    void anUnknownVersionIsExitCodeTwoNamingTheOption(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch(connected(database.connection(), "verify", "--version", "9.9.9"));

        assertThat(result.exitCode()).isEqualTo(2);
        JsonNode error = JSON.readTree(result.getOutput()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("UnknownVersion");
        assertThat(error.get("field").asText()).isEqualTo("--version");
    }

    @Test
    void passwordsAppearInNoOutputWhetherTheLoginWorksOrFails(QuarkusMainLauncher launcher) throws IOException {
        DbConnection owner = database.connection();
        DbConnection wrongPassword = new DbConnection(owner.jdbcUrl(), owner.username(), "wrong-" + owner.password());
        DbConnection nobodyListening = new DbConnection("jdbc:postgresql://127.0.0.1:1/shop", owner.username(),
                owner.password());
        List<LaunchResult> results = List.of(
                launcher.launch(connected(owner, "migrate", "--to", "1.2.0", "-o", "text")),
                launcher.launch(connected(owner, "verify", "--version", "1.2.0")),
                launcher.launch(connected(owner, "verify", "--version", "1.2.0", "-o", "text")),
                launcher.launch(connected(wrongPassword, "verify", "--version", "1.2.0")),
                launcher.launch(connected(wrongPassword, "migrate", "--to", "1.2.0", "-o", "text")),
                launcher.launch(connected(nobodyListening, "verify", "--version", "1.2.0")));

        assertThat(results).extracting(LaunchResult::exitCode).containsExactly(0, 0, 0, 2, 2, 2);
        assertThat(results.get(3).getOutput()).contains("password authentication failed");
        for (LaunchResult result : results) {
            assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain(owner.password());
        }
    }

    @Test
    void aDryRunPrintsTheHopsAndTheirMigrationsAndChangesNothing(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult json = launcher.launch(connected(database.connection(), "migrate", "--to", "1.2.0", "--dry-run"));
        LaunchResult text = launcher.launch(connected(database.connection(), "migrate", "--to", "1.2.0", "--dry-run",
                "-o", "text"));

        assertThat(json.exitCode()).as(json.getErrorOutput()).isZero();
        JsonNode result = JSON.readTree(json.getOutput());
        assertThat(result.get("dryRun").asBoolean()).isTrue();
        assertThat(result.at("/hops/0/version").asText()).isEqualTo("1.1.0");
        assertThat(result.at("/hops/0/wouldApply/0/script").asText()).isEqualTo("V2__customer_email_index.sql");
        assertThat(result.at("/hops/1/wouldApply/0/script").asText()).isEqualTo("V3__create_orders.sql");
        assertThat(result.at("/hops/1/wouldApply")).hasSize(1);
        assertThat(text.getOutput()).contains("Dry run: from 1.0.0 to 1.2.0 in 2 hops; nothing changed.",
                "hop 1 of 2 (1.1.0, RequiredStop): V2__customer_email_index.sql",
                "hop 2 of 2 (1.2.0, Target): V3__create_orders.sql");
        assertThat(database.relationExists("public.orders")).isFalse();
        assertThat(new FlywayMigrator(database.connection(), directory.resolve("bundle-src-1.2.0")).info()
                .currentVersion()).isEqualTo("1");
    }

    @Test
    void anEmptyDatabaseIsMigratedOnlyAsAFirstInstallWithFromNone(QuarkusMainLauncher launcher) throws IOException {
        LocalPostgres.Database empty = PostgresServer.get().createDatabase("empty");

        LaunchResult refused = launcher.launch(connected(empty.connection(), "migrate", "--to", "1.2.0"));
        LaunchResult claimedInstalled = launcher.launch(connected(empty.connection(), "migrate", "--to", "1.2.0",
                "--from", "1.2.0", "-o", "text"));
        LaunchResult installed = launcher.launch(connected(empty.connection(), "migrate", "--to", "1.2.0",
                "--from", "none", "-o", "text"));
        LaunchResult again = launcher.launch(connected(empty.connection(), "migrate", "--to", "1.2.0", "--from", "none"));

        assertThat(refused.exitCode()).isEqualTo(2);
        JsonNode error = JSON.readTree(refused.getOutput()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("EmptyDatabase");
        assertThat(error.get("field").asText()).isEqualTo("--from");
        assertThat(error.get("message").asText()).contains("no migration history", "pass --from none");
        assertThat(claimedInstalled.exitCode()).isEqualTo(2);
        assertThat(claimedInstalled.getOutput() + claimedInstalled.getErrorOutput()).doesNotContain("Already at");
        assertThat(installed.exitCode()).as(installed.getErrorOutput()).isZero();
        assertThat(installed.getOutput()).contains("applying V1__create_customers.sql", "applying V3__create_orders.sql",
                "Installed 1.2.0 into the empty database.");
        assertThat(empty.relationExists("public.orders")).isTrue();
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(again.getOutput()).at("/error/code").asText()).isEqualTo("DatabaseNotEmpty");
    }

    @Test
    void aReleaseWithABundleButNoSnapshotIsNotSaidToHaveNoBundle(QuarkusMainLauncher launcher) throws IOException {
        ObjectNode catalog = (ObjectNode) JSON.readTree(feed.toFile());
        ((ObjectNode) catalog.get("releases").get(0)).remove("schemaSnapshot");
        Files.writeString(feed, catalog.toString());

        LaunchResult migrated = launcher.launch(connected(database.connection(), "migrate", "--to", "1.1.0"));

        assertThat(migrated.exitCode()).as(migrated.getErrorOutput()).isZero();
        assertThat(migrated.getErrorOutput()).contains("release 1.0.0 (and every release below it) publishes no"
                + " schemaSnapshot").doesNotContain("no migration bundle");
    }

    @Test
    void driftFixesOnlyTowardsTheInstalledReleaseSoTheNextMigrateStillWorks(QuarkusMainLauncher launcher)
            throws IOException {
        migrate(database, directory.resolve("bundle-src-1.1.0"), 2);
        database.execute("DROP INDEX customers_email_idx");
        Path laterSnapshot = directory.resolve("schema-1.2.0.json");

        LaunchResult refused = launcher.launch(withoutFeed(connected(database.connection(), "drift", "--expected",
                laterSnapshot.toString(), "--fix")));
        boolean ordersCreatedByTheRefusedFix = database.relationExists("public.orders");
        LaunchResult fixed = launcher.launch(connected(database.connection(), "drift", "--fix"));
        LaunchResult migrated = launcher.launch(connected(database.connection(), "migrate", "--to", "1.2.0"));

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(refused.getOutput()).at("/error/code").asText()).isEqualTo("FixNeedsFeed");
        assertThat(ordersCreatedByTheRefusedFix).isFalse();
        assertThat(fixed.exitCode()).as(fixed.getErrorOutput()).isZero();
        assertThat(fixed.getErrorOutput()).contains("expected schema: the schemaSnapshot of 1.1.0",
                "applying: CREATE INDEX customers_email_idx").doesNotContain("CREATE TABLE");
        assertThat(migrated.exitCode()).as(migrated.getOutput()).isZero();
        assertThat(database.relationExists("public.orders")).isTrue();
    }

    @Test
    void verifyOfADatabaseBehindTheReleaseSaysToMigrateAndComparesWithTheInstalledSnapshot(
            QuarkusMainLauncher launcher) throws IOException {
        migrate(database, directory.resolve("bundle-src-1.1.0"), 2);
        ObjectNode catalog = (ObjectNode) JSON.readTree(feed.toFile());
        ObjectNode patch = ((com.fasterxml.jackson.databind.node.ArrayNode) catalog.get("releases")).addObject();
        patch.put("version", "1.1.1").put("publishedAt", "2026-01-01T00:00:00Z").putArray("channels").add("stable");
        Files.writeString(feed, catalog.toString());

        LaunchResult behind = launcher.launch(connected(database.connection(), "verify", "--version", "1.2.0"));
        LaunchResult text = launcher.launch(connected(database.connection(), "verify", "--version", "1.2.0", "-o", "text"));
        LaunchResult fallback = launcher.launch(connected(database.connection(), "verify", "--version", "1.1.1",
                "-o", "text"));

        assertThat(behind.exitCode()).isEqualTo(1);
        JsonNode result = JSON.readTree(behind.getOutput());
        assertThat(result.get("installedVersion").asText()).isEqualTo("1.1.0");
        assertThat(result.get("snapshotOf").asText()).isEqualTo("1.1.0");
        assertThat(result.get("advice").asText()).isEqualTo("the database is at 1.1.0 (schema 2), behind 1.2.0:"
                + " run `slipway migrate --to 1.2.0`");
        assertThat(result.at("/report/findings")).isEmpty();
        assertThat(result.at("/report/migrations/pending/0/script").asText()).isEqualTo("V3__create_orders.sql");
        assertThat(text.getOutput()).contains("run `slipway migrate --to 1.2.0`").doesNotContain("CREATE TABLE");
        assertThat(fallback.exitCode()).as(fallback.getOutput()).isZero();
        assertThat(fallback.getOutput()).contains("drift compared with the schemaSnapshot of 1.1.0 (1.1.1 publishes none)");
    }

    /** The arguments without {@code --feed} and {@code --product} (the last four). */
    private static String[] withoutFeed(String[] arguments) {
        return java.util.Arrays.copyOf(arguments, arguments.length - 4);
    }

    private String[] connected(DbConnection connection, String... arguments) throws IOException {
        Path password = Files.writeString(directory.resolve("password-" + connection.username()), connection.password());
        List<String> all = new java.util.ArrayList<>(List.of(arguments));
        all.addAll(List.of("--db-url", connection.jdbcUrl(), "--db-user", connection.username(), "--password-file",
                password.toString(), "--feed", feed.toString(), "--product", "shop"));
        return all.toArray(String[]::new);
    }

    /** The cumulative migration directory of a release: every migration up to its schema version. */
    private Path bundle(String version, int schemaVersion) throws IOException {
        Path bundle = Files.createDirectories(directory.resolve("bundle-src-" + version));
        MIGRATIONS.entrySet().stream().limit(schemaVersion).forEach(migration -> {
            try {
                Files.writeString(bundle.resolve(migration.getKey()), migration.getValue());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return bundle;
    }

    private static void migrate(LocalPostgres.Database database, Path bundle, int schemaVersion) {
        new FlywayMigrator(database.connection(), bundle).migrate(String.valueOf(schemaVersion), ignored -> { });
    }

    private static byte[] zip(Path bundle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); var files = Files.list(bundle)) {
            for (Path file : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

}
