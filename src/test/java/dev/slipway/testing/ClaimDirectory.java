package dev.slipway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory standing for the PersistentVolumeClaim the PgDump Jobs mount ({@link JobControllerDouble}
 * runs their commands in it); deleted with everything the Jobs wrote when closed. JUnit's @TempDir does not reach
 * Quarkus tests.
 */
public record ClaimDirectory(Path path) implements AutoCloseable {

    public static ClaimDirectory create() throws IOException {
        return new ClaimDirectory(Files.createTempDirectory("pgdump-claim"));
    }

    /** A file on the claim, by its path relative to the mount point. */
    public Path resolve(String file) {
        return path.resolve(file);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
