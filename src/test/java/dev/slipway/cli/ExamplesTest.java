package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.database.PgSchemaReader;
import dev.slipway.database.SnapshotJson;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.testing.PostgresServer;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code examples/} folder cannot rot: its feed is exactly what its migrations produce (bundles, snapshots,
 * checksums; {@code -Dslipway.examples.write=true} rewrites them after a change to {@code examples/migrations}), its
 * ManagedUpgrades pass the operator's validation, and the README's walkthrough runs command by command through the
 * real entry point against a real PostgreSQL.
 */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("examples");
    private static final Path FEED = EXAMPLES.resolve("feed");
    private static final String PRODUCT = "acme-shop";
    /** version, schema version, published, required stop */
    private static final List<Object[]> RELEASES = List.of(
            new Object[] {"1.0.0", 1, "2026-09-01T10:00:00Z", false},
            new Object[] {"1.1.0", 2, "2026-10-01T10:00:00Z", true},
            new Object[] {"1.2.0", 3, "2026-11-01T10:00:00Z", false},
            new Object[] {"2.0.0", 4, "2026-11-15T10:00:00Z", false});
    private static final Pattern EXPECTED_EXIT = Pattern.compile("#\\s*exit (\\d)");

    @TempDir
    Path directory;

    @Test
    void theFeedIsWhatTheMigrationsProduce() throws IOException {
        Map<Path, byte[]> generated = generateFeed();
        if (Boolean.getBoolean("slipway.examples.write")) {
            for (Map.Entry<Path, byte[]> file : generated.entrySet()) {
                Files.createDirectories(file.getKey().getParent());
                Files.write(file.getKey(), file.getValue());
            }
        }
        for (Map.Entry<Path, byte[]> file : generated.entrySet()) {
            assertThat(file.getKey()).as("regenerate with -Dslipway.examples.write=true").exists();
            assertThat(new String(Files.readAllBytes(file.getKey()), StandardCharsets.ISO_8859_1))
                    .as(file.getKey() + " (regenerate with -Dslipway.examples.write=true)")
                    .isEqualTo(new String(file.getValue(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void theSampleManagedUpgradesPassTheOperatorsValidation() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("managedupgrades"))) {
            samples = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }

        assertThat(samples).extracting(file -> file.getFileName().toString())
                .containsExactly("air-gapped.yaml", "manual-approval.yaml", "minimal.yaml", "windows-and-freeze.yaml");
        for (Path sample : samples) {
            // Unknown fields fail here: the API server would silently prune a misspelt field.
            ManagedUpgrade resource = new YAMLMapper().readValue(sample.toFile(), ManagedUpgrade.class);
            assertThatCode(() -> SpecReader.read(resource.getSpec())).as(sample.toString()).doesNotThrowAnyException();
        }
    }

    @Test
    void theReadmeWalkthroughRunsAsWritten(QuarkusMainLauncher launcher) throws IOException {
        LocalPostgres.Database database = PostgresServer.get().createDatabase("walkthrough");
        Path password = Files.writeString(directory.resolve("shop.password"), database.password() + "\n");
        String connection = "--db-url " + database.jdbcUrl() + " --db-user " + database.user() + " --password-file "
                + password;
        List<String> lines = walkthroughLines();
        List<String> outputs = new ArrayList<>();

        assertThat(lines).anyMatch(line -> line.startsWith("slipway plan"))
                .anyMatch(line -> line.startsWith("slipway windows")).anyMatch(line -> line.startsWith("slipway verify"))
                .anyMatch(line -> line.startsWith("slipway drift")).anyMatch(line -> line.startsWith("slipway migrate"));
        for (String line : lines) {
            Matcher exit = EXPECTED_EXIT.matcher(line);
            int expectedExit = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
            String command = line.replaceFirst("\\s*#.*$", "");
            if (command.startsWith("psql")) {
                database.execute(command.substring(command.indexOf('"') + 1, command.lastIndexOf('"')));
                continue;
            }
            String[] arguments = command.replace("$DB", connection).replaceFirst("^slipway\\s+", "").split("\\s+");
            LaunchResult result = launcher.launch(arguments);
            assertThat(result.exitCode()).as(line + "\n" + result.getOutput() + result.getErrorOutput())
                    .isEqualTo(expectedExit);
            outputs.add(result.getOutput());
        }
        assertThat(String.join("\n", outputs)).contains("Upgrade 1.0.0 → 1.2.0 in 2 hops:",
                "note: 2.0.0 is available but is a major upgrade: use --allow major",
                "Installed 1.0.0 into the empty database.", "OK: the database is what this release expects.");
        assertThat(database.relationExists("public.orders")).isTrue();
    }

    /** The command lines of the README's Walkthrough section, continuation lines joined. */
    private static List<String> walkthroughLines() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Walkthrough"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        List<String> lines = new ArrayList<>();
        Matcher blocks = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (blocks.find()) {
            for (String line : blocks.group(1).replace("\\\n", " ").split("\n")) {
                String stripped = line.strip().replaceAll("\\s+", " ");
                if (stripped.startsWith("slipway ") || stripped.startsWith("psql ")) {
                    lines.add(stripped);
                }
            }
        }
        return lines;
    }

    /** Bundles (cumulative zips), snapshots (from a real PostgreSQL) and the releases document, by path. */
    private Map<Path, byte[]> generateFeed() throws IOException {
        List<Path> migrations;
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("migrations"))) {
            migrations = files.sorted().toList();
        }
        Map<Path, byte[]> files = new LinkedHashMap<>();
        LocalPostgres.Database reference = PostgresServer.get().createDatabase("examples");
        ObjectNode document = CliOutput.JSON.createObjectNode().put("product", PRODUCT)
                .put("generatedAt", "2026-11-20T10:00:00Z");
        ArrayNode releases = document.putArray("releases");
        for (Object[] release : RELEASES) {
            String version = (String) release[0];
            int schema = (Integer) release[1];
            Path bundle = Files.createDirectories(directory.resolve("bundle-" + version));
            for (Path migration : migrations.subList(0, schema)) {
                Files.copy(migration, bundle.resolve(migration.getFileName()));
            }
            new FlywayMigrator(reference.connection(), bundle).migrate(String.valueOf(schema), ignored -> { });
            byte[] zip = zip(bundle);
            byte[] snapshot = SnapshotJson.writeBytes(PgSchemaReader.read(reference.connection(), List.of("public")));
            String zipName = "migrations/" + PRODUCT + "-" + version + ".zip";
            String snapshotName = "schemas/" + PRODUCT + "-" + version + ".json";
            files.put(FEED.resolve(zipName), zip);
            files.put(FEED.resolve(snapshotName), snapshot);
            ObjectNode node = releases.addObject().put("version", version);
            node.putArray("channels").add("stable");
            node.put("publishedAt", (String) release[2]);
            node.putObject("migrations").put("bundleUrl", zipName).put("sha256", ReleaseApiClient.sha256Hex(zip))
                    .put("schemaVersion", String.valueOf(schema));
            node.putObject("schemaSnapshot").put("url", snapshotName).put("sha256", ReleaseApiClient.sha256Hex(snapshot));
            node.put("requiredStop", (Boolean) release[3]);
        }
        files.put(FEED.resolve("v1/products/" + PRODUCT + "/releases"),
                (CliOutput.JSON.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** A zip whose bytes depend only on the files: sorted entries, fixed timestamps. */
    private static byte[] zip(Path bundle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.list(bundle)) {
            for (Path file : files.sorted().toList()) {
                ZipEntry entry = new ZipEntry(file.getFileName().toString());
                entry.setTimeLocal(LocalDateTime.of(2026, 1, 1, 0, 0));
                zip.putNextEntry(entry);
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
