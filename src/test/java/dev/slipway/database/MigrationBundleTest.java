package dev.slipway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationBundleTest {

    @TempDir
    Path directory;

    @Test
    void extractsTheMigrationFilesIncludingSubdirectories() throws IOException {
        byte[] bundle = zip(Map.of("V1__init.sql", "CREATE TABLE a (id int);", "later/V2__more.sql", "SELECT 1;"));

        Path extracted = MigrationBundle.extract(bundle, directory.resolve("bundle"));

        assertThat(extracted.resolve("V1__init.sql")).hasContent("CREATE TABLE a (id int);");
        assertThat(extracted.resolve("later/V2__more.sql")).exists();
    }

    @Test
    void refusesEntriesThatEscapeTheDirectory() throws IOException {
        byte[] slip = zip(Map.of("V1__init.sql", "SELECT 1;", "../../evil.sql", "DROP TABLE a;"));

        assertThatThrownBy(() -> MigrationBundle.extract(slip, directory.resolve("bundle")))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DatabaseException.Kind.InvalidMigrations);
                    assertThat(e.getMessage()).contains("'../../evil.sql' points outside the bundle");
                });
        assertThat(directory.resolve("evil.sql")).doesNotExist();
    }

    @Test
    void refusesSomethingThatIsNotAZipOrHoldsNoMigration() throws IOException {
        byte[] notZip = "{\"releases\": []}".getBytes(StandardCharsets.UTF_8);
        byte[] noSql = zip(Map.of("README.txt", "hello"));

        assertThatThrownBy(() -> MigrationBundle.extract(notZip, directory.resolve("a")))
                .hasMessageContaining("not a zip archive");
        assertThatThrownBy(() -> MigrationBundle.extract(noSql, directory.resolve("b")))
                .hasMessageContaining("holds no .sql migration");
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
