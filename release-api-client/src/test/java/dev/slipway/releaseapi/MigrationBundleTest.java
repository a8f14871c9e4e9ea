package dev.slipway.releaseapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.releaseapi.FeedException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationBundleTest {

    @TempDir
    Path temp;

    @Test
    void migrationsAtTheRootAreWrittenInTheBundlesOrder() throws Exception {
        byte[] zip = zip(entries("V1__init.sql", "create table a (id int);", "V1.1__add_b.sql", "create table b (id int);",
                "R__views.sql", "create or replace view v as select 1;"));
        Path target = temp.resolve("bundle");

        assertThat(MigrationBundle.extract(zip, target)).containsExactly(target.resolve("V1__init.sql"),
                target.resolve("V1.1__add_b.sql"), target.resolve("R__views.sql"));
        assertThat(target.resolve("V1__init.sql")).hasContent("create table a (id int);");
        assertThat(target.resolve("R__views.sql")).hasContent("create or replace view v as select 1;");
    }

    @Test
    void directoriesAndArchiverMetadataAreIgnored() throws Exception {
        byte[] zip = zip(entries("V1__init.sql", "select 1;", "__MACOSX/", "", "__MACOSX/._V1__init.sql", "junk",
                ".DS_Store", "junk", "empty/", ""));

        assertThat(MigrationBundle.extract(zip, temp)).containsExactly(temp.resolve("V1__init.sql"));
        try (var files = Files.list(temp)) {
            assertThat(files).containsExactly(temp.resolve("V1__init.sql"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../V2__evil.sql", "a/../../V2__evil.sql", "/tmp/V2__evil.sql", "..\\V2__evil.sql",
            "C:V2__evil.sql", "__MACOSX/../../V2__evil.sql", "..", "./"})
    void anEntryEscapingTheTargetRefusesTheBundleAndNothingIsWritten(String name) {
        byte[] zip = zip(entries("V1__init.sql", "select 1;", name, "drop table users;"));
        Path target = temp.resolve("deep/target");

        assertRefused(zip, target, "migration bundle entry '" + name + "' points outside the target directory (zip slip)");
        assertThat(temp.resolve("deep")).doesNotExist();
        assertThat(temp.resolve("V2__evil.sql")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sql/V2__nested.sql", "README.md", "V2__add.txt", "U2__undo.sql", "V2_add.sql",
            "v2__lowercase.sql", "Vx__add.sql"})
    void anEntryThatIsNotARootMigrationRefusesTheBundle(String name) {
        byte[] zip = zip(entries("V1__init.sql", "select 1;", name, "select 2;"));

        assertRefused(zip, temp, "migration bundle entry '" + name + "' is not a Flyway SQL migration at the bundle's root");
        assertThat(temp.resolve("V1__init.sql")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>404 Not Found</html>", "", "PK"})
    void bytesThatAreNotAZipAreRefused(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertRefused(bytes, temp, "migration bundle is not a zip archive (" + bytes.length
                + " bytes that do not start with PK)");
    }

    @Test
    void aTruncatedZipIsRefusedAsCorrupt() {
        byte[] zip = zip(entries("V1__init.sql", "create table a (id int, name text, created timestamptz);".repeat(50)));

        assertRefused(Arrays.copyOf(zip, zip.length / 3), temp, "migration bundle is a corrupt zip archive");
        assertThat(temp.resolve("V1__init.sql")).doesNotExist();
    }

    @Test
    void anEmptyZipIsRefused() {
        assertRefused(zip(Map.of()), temp, "migration bundle contains no migrations");
    }

    @Test
    void aBundleExpandingBeyondTheCapIsRefusedAsAZipBomb() {
        byte[] zeros = new byte[2 * 1024 * 1024];
        byte[] zip = zip(entries("V1__init.sql", "select 1;", "V2__bomb.sql", new String(zeros, StandardCharsets.ISO_8859_1)));
        assertThat(zip.length).as("a bomb: small compressed, large inflated").isLessThan(64 * 1024);

        assertThatThrownBy(() -> MigrationBundle.extract(zip, temp, new MigrationBundle.Limits(100, 1024 * 1024)))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IntegrityMismatch))
                .hasMessage("migration bundle expands to more than 1048576 bytes (at entry 'V2__bomb.sql'): refused as"
                        + " a possible zip bomb");
        assertThat(temp.resolve("V1__init.sql")).doesNotExist();
    }

    @Test
    void theCapCountsAllEntriesTogether() throws Exception {
        String halfMegabyte = "x".repeat(512 * 1024);
        byte[] zip = zip(entries("V1__a.sql", halfMegabyte, "V2__b.sql", halfMegabyte, "V3__c.sql", halfMegabyte));
        MigrationBundle.Limits limits = new MigrationBundle.Limits(100, 1024 * 1024);

        assertThatThrownBy(() -> MigrationBundle.extract(zip, temp, limits)).hasMessageContaining("at entry 'V3__c.sql'");
        assertThat(MigrationBundle.extract(zip(entries("V1__a.sql", halfMegabyte, "V2__b.sql", halfMegabyte)), temp,
                limits)).hasSize(2);
    }

    @Test
    void tooManyEntriesAreRefused() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 1; i <= 11; i++) {
            many.put("V" + i + "__step.sql", "select " + i + ";");
        }

        assertThatThrownBy(() -> MigrationBundle.extract(zip(many), temp, new MigrationBundle.Limits(10, 1024 * 1024)))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IntegrityMismatch))
                .hasMessage("migration bundle has more than 10 entries");
    }

    @Test
    void anEntryTwiceIsRefused() {
        // ZipOutputStream refuses duplicate names, so rename the second entry in place (same length, CRC unaffected).
        byte[] zip = replaceAll(zip(entries("V1__a.sql", "select 1;", "V1__b.sql", "select 2;")), "V1__b.sql", "V1__a.sql");

        assertRefused(zip, temp, "migration bundle has entry 'V1__a.sql' twice");
    }

    @Test
    void aSymbolicLinkPlantedInTheTargetIsNotFollowed() throws Exception {
        Path outside = Files.writeString(temp.resolve("outside.txt"), "precious");
        Path target = Files.createDirectories(temp.resolve("target"));
        Files.createSymbolicLink(target.resolve("V1__init.sql"), outside);

        assertThatThrownBy(() -> MigrationBundle.extract(zip(entries("V1__init.sql", "pwned")), target))
                .isInstanceOf(IOException.class).isNotInstanceOf(FeedException.class);
        assertThat(outside).hasContent("precious");
    }

    @Test
    void controlCharactersInEntryNamesStayOutOfMessages() {
        byte[] zip = zip(entries("evil\n[INFO] upgrade complete.sql", "x"));

        assertRefused(zip, temp, "migration bundle entry 'evil?[INFO] upgrade complete.sql' is not a Flyway");
    }

    private static void assertRefused(byte[] zip, Path target, String messageStart) {
        assertThatThrownBy(() -> MigrationBundle.extract(zip, target))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IntegrityMismatch))
                .hasMessageStartingWith(messageStart);
    }

    /** Name, content, name, content, ... in order. */
    private static Map<String, String> entries(String... namesAndContents) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            entries.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return entries;
    }

    private static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.ISO_8859_1));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] replaceAll(byte[] bytes, String from, String to) {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }
}
