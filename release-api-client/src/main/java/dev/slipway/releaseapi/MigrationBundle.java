package dev.slipway.releaseapi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A migration bundle: a zip of Flyway SQL migrations at its root. Extraction refuses anything that could write
 * outside the target directory (zip slip), bombs (size and entry caps), and files that are not migrations.
 */
public final class MigrationBundle {

    private static final Pattern MIGRATION = Pattern.compile("^(V[0-9][0-9._]*__|R__)[^/\\\\]+\\.sql$");
    private static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;
    private static final int MAX_ENTRIES = 10_000;

    private MigrationBundle() {
    }

    /** Extracts the bundle's migrations into {@code targetDir}; returns the files written. */
    public static List<Path> extract(byte[] zip, Path targetDir) throws FeedException {
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            throw new FeedException(FeedException.Kind.IntegrityMismatch, "migration bundle is not a zip archive");
        }
        Path root = targetDir.toAbsolutePath().normalize();
        List<Path> written = new ArrayList<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                Path destination = root.resolve(name).normalize();
                if (name.contains("..") || name.startsWith("/") || name.startsWith("\\") || !destination.startsWith(root)) {
                    throw new FeedException(FeedException.Kind.IntegrityMismatch,
                            "migration bundle entry '" + name + "' points outside the bundle (zip slip refused)");
                }
                if (entry.isDirectory() || name.startsWith("__MACOSX/")) {
                    continue;
                }
                if (!MIGRATION.matcher(name).matches()) {
                    throw new FeedException(FeedException.Kind.IntegrityMismatch, "migration bundle entry '" + name
                            + "' is not a Flyway SQL migration (V<n>__<description>.sql at the bundle's root)");
                }
                if (written.size() >= MAX_ENTRIES) {
                    throw new FeedException(FeedException.Kind.IntegrityMismatch, "migration bundle has more than "
                            + MAX_ENTRIES + " entries");
                }
                total += copy(in, destination, MAX_TOTAL_BYTES - total);
                written.add(destination);
            }
        } catch (ZipException e) {
            throw new FeedException(FeedException.Kind.IntegrityMismatch, "migration bundle is not a valid zip: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new FeedException(FeedException.Kind.IntegrityMismatch, "migration bundle cannot be extracted: "
                    + e.getMessage());
        }
        if (written.isEmpty()) {
            throw new FeedException(FeedException.Kind.IntegrityMismatch, "migration bundle contains no migrations");
        }
        return written;
    }

    private static long copy(InputStream in, Path destination, long budget) throws IOException, FeedException {
        long copied = 0;
        byte[] buffer = new byte[8192];
        try (OutputStream out = Files.newOutputStream(destination)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                copied += read;
                if (copied > budget) {
                    throw new FeedException(FeedException.Kind.IntegrityMismatch,
                            "migration bundle expands beyond " + MAX_TOTAL_BYTES + " bytes (zip bomb refused)");
                }
                out.write(buffer, 0, read);
            }
        }
        return copied;
    }
}
