package dev.slipway.database;

import dev.slipway.database.DatabaseException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a release's migration bundle (a zip of Flyway SQL files) into a directory for {@link FlywayMigrator}.
 * Refuses what could write outside that directory (absolute paths, {@code ..} segments: "zip slip"), archives that
 * expand beyond {@link #MAX_EXTRACTED_BYTES}, and bundles without any {@code .sql} file.
 */
public final class MigrationBundle {

    public static final long MAX_EXTRACTED_BYTES = 256L * 1024 * 1024;

    private MigrationBundle() {
    }

    /** Extracts {@code zip} into {@code directory} (created if needed) and returns it. */
    public static Path extract(byte[] zip, Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        long written = 0;
        int sqlFiles = 0;
        boolean anyEntry = false;
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
            Files.createDirectories(root);
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                anyEntry = true;
                Path target = root.resolve(entry.getName()).normalize();
                if (entry.getName().startsWith("/") || entry.getName().contains("\\") || !target.startsWith(root)
                        || target.equals(root)) {
                    throw invalid("bundle entry '" + entry.getName() + "' points outside the bundle; refused");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                written += copyBounded(entries, target, MAX_EXTRACTED_BYTES - written);
                if (target.getFileName().toString().endsWith(".sql")) {
                    sqlFiles++;
                }
            }
        } catch (ZipException e) {
            throw invalid("migration bundle is not a valid zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw invalid("migration bundle cannot be unpacked into " + root + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!anyEntry) {
            throw invalid("migration bundle is not a zip archive, or an empty one");
        }
        if (sqlFiles == 0) {
            throw invalid("migration bundle holds no .sql migration");
        }
        return root;
    }

    private static long copyBounded(InputStream in, Path target, long remaining) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                copied += read;
                if (copied > remaining) {
                    throw invalid("migration bundle expands beyond " + MAX_EXTRACTED_BYTES / (1024 * 1024)
                            + " MB; refused");
                }
                out.write(buffer, 0, read);
            }
        }
        return copied;
    }

    private static DatabaseException invalid(String message) {
        return new DatabaseException(Kind.InvalidMigrations, message, null);
    }
}
