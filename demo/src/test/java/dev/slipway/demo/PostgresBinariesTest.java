package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the throwaway cluster's server programs come from (the cluster itself: LocalPostgresTest). */
class PostgresBinariesTest {

    @TempDir
    Path home;

    @Test
    void theNewestInstalledMajorVersionIsChosen() throws IOException {
        fakeInstallation(home.resolve("14/bin"));
        Path sixteen = fakeInstallation(home.resolve("16/bin"));
        fakeInstallation(home.resolve("9.6/bin"));
        Files.createDirectories(home.resolve("17/bin"));

        assertThat(PostgresBinaries.find(home)).isEqualTo(sixteen);
    }

    @Test
    void aDirectoryWithItsOwnBinIsAnInstallation() throws IOException {
        Path bin = fakeInstallation(home.resolve("bin"));

        assertThat(PostgresBinaries.find(home)).isEqualTo(bin);
    }

    @Test
    void withoutAnInstallationTheEmbeddedBinariesAreUnpackedOnce() throws IOException {
        Path empty = Files.createDirectories(home.resolve("empty"));
        Path incomplete = Files.createDirectories(home.resolve("incomplete/15/bin"));
        Files.createFile(incomplete.resolve("initdb"));

        Path embedded = PostgresBinaries.find(empty);

        assertThat(PostgresBinaries.installed(empty)).isEmpty();
        assertThat(PostgresBinaries.installed(home.resolve("incomplete"))).isEmpty();
        assertThat(embedded.getParent().getFileName().toString()).startsWith(PostgresBinaries.UNPACKED_PREFIX);
        assertThat(embedded.resolve("initdb")).isExecutable();
        assertThat(embedded.resolve("pg_ctl")).isExecutable();
        assertThat(embedded.getParent().resolve("share/postgresql/postgres.bki")).isReadable();
        assertThat(PostgresBinaries.find(home.resolve("missing"))).isEqualTo(embedded);
    }

    @Test
    void theSystemPropertyNamesTheDirectoryToSearch() {
        String before = System.getProperty(PostgresBinaries.HOME_PROPERTY);
        System.setProperty(PostgresBinaries.HOME_PROPERTY, home.toString());
        try {
            assertThat(PostgresBinaries.configuredHome()).isEqualTo(home);
        } finally {
            if (before == null) {
                System.clearProperty(PostgresBinaries.HOME_PROPERTY);
            } else {
                System.setProperty(PostgresBinaries.HOME_PROPERTY, before);
            }
        }
    }

    private static Path fakeInstallation(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
            Files.createFile(bin.resolve(program), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        return bin;
    }
}
