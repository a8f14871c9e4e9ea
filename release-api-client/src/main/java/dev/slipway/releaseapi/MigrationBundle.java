package dev.slipway.releaseapi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Extracts a migration bundle: a zip of Flyway SQL migrations at its root. The bundle comes from the network, so it is
 * treated as hostile:
 * <ul>
 * <li>An entry whose name is absolute, contains {@code ..} or a backslash, or resolves outside the target directory
 * (zip slip) refuses the whole bundle, whatever the entry is.</li>
 * <li>Only {@code V<version>__<description>.sql} and {@code R__<description>.sql} at the root are migrations. Directory
 * entries, {@code __MACOSX/} and {@code .DS_Store} (what archivers add) are ignored. Any other entry, including a
 * migration in a subdirectory, refuses the bundle: Flyway would not run it, and silently dropping it would leave the
 * schema behind the release.</li>
 * <li>The number of entries and the bytes they expand to are capped (zip bomb), counted as they are inflated rather
 * than trusted from the headers.</li>
 * <li>All or nothing: every entry is read and checked before the first file is written. Entries are then streamed to
 * their files, so a bundle on disk is never held whole in memory.</li>
 * </ul>
 * Every refusal is a {@link FeedException} of kind {@code IntegrityMismatch} naming the entry.
 */
public final class MigrationBundle {

    /** Caps on what one bundle may expand to. */
    public record Limits(int maxEntries, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(10_000, 64L * 1024 * 1024);
    }

    private static final Pattern MIGRATION = Pattern.compile("(V\\d+([._]\\d+)*|R)__[^/\\\\]+\\.sql");
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private MigrationBundle() {
    }

    /** {@link #extract(byte[], Path, Limits)} with {@link Limits#DEFAULT}. */
    public static List<Path> extract(byte[] zip, Path targetDir) throws FeedException, IOException {
        return extract(zip, targetDir, Limits.DEFAULT);
    }

    /** {@link #extract(Path, Path, Limits)} with {@link Limits#DEFAULT}. */
    public static List<Path> extract(Path zipFile, Path targetDir) throws FeedException, IOException {
        return extract(zipFile, targetDir, Limits.DEFAULT);
    }

    /** {@link #extract(byte[], Path, Limits)} of a bundle on disk, read as a stream (twice: check, then write). */
    public static List<Path> extract(Path zipFile, Path targetDir, Limits limits) throws FeedException, IOException {
        return extract(new Archive(Files.size(zipFile), () -> Files.newInputStream(zipFile)), targetDir, limits);
    }

    /**
     * @return the migration files written into {@code targetDir} (created when missing), in the bundle's order
     * @throws FeedException when the bundle is refused; nothing was written then
     * @throws IOException   when the target directory cannot be written
     */
    public static List<Path> extract(byte[] zip, Path targetDir, Limits limits) throws FeedException, IOException {
        return extract(new Archive(zip.length, () -> new ByteArrayInputStream(zip)), targetDir, limits);
    }

    /** The bundle's bytes, which can be read more than once. */
    private record Archive(long size, Opener opener) {
    }

    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    private static List<Path> extract(Archive zip, Path targetDir, Limits limits) throws FeedException, IOException {
        Path target = targetDir.toAbsolutePath().normalize();
        Set<Path> migrations = check(zip, target, limits);
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(zip.opener().open())) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                // Names were checked above: this only skips what the check ignored.
                Path destination = target.resolve(entry.getName()).normalize();
                if (!migrations.contains(destination)) {
                    continue;
                }
                // NOFOLLOW_LINKS: a symbolic link planted in the target directory must not redirect the write.
                try (OutputStream out = Files.newOutputStream(destination, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(out);
                }
            }
        }
        return List.copyOf(migrations);
    }

    /** Reads every entry (counting what it inflates to, keeping nothing) and returns the migrations' destinations. */
    private static Set<Path> check(Archive zip, Path target, Limits limits) throws FeedException, IOException {
        if (!startsLikeAZip(zip)) {
            throw refused("migration bundle is not a zip archive (" + zip.size() + " bytes that do not start with PK)");
        }
        Set<Path> migrations = new LinkedHashSet<>();
        long totalBytes = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(zip.opener().open())) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (++entries > limits.maxEntries()) {
                    throw refused("migration bundle has more than " + limits.maxEntries() + " entries");
                }
                String name = entry.getName();
                Path destination = insideTarget(target, name);
                if (isIgnored(name)) {
                    continue;
                }
                if (!MIGRATION.matcher(name).matches()) {
                    throw refused("migration bundle entry '" + printable(name) + "' is not a Flyway SQL migration at the "
                            + "bundle's root (V<version>__<description>.sql or R__<description>.sql)");
                }
                totalBytes += inflatedSize(in, name, limits.maxTotalBytes() - totalBytes, limits);
                if (!migrations.add(destination)) {
                    throw refused("migration bundle has entry '" + printable(name) + "' twice");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw refused("migration bundle is a corrupt zip archive (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + printable(e.getMessage())) + ")");
        }
        if (migrations.isEmpty()) {
            throw refused("migration bundle contains no migrations");
        }
        return migrations;
    }

    private static boolean startsLikeAZip(Archive zip) throws IOException {
        byte[] magic;
        try (InputStream in = zip.opener().open()) {
            magic = in.readNBytes(4);
        }
        // Local file header (an archive with entries) or end of central directory (an empty archive).
        return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K'
                && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
    }

    private static Path insideTarget(Path target, String name) throws FeedException {
        boolean unsafe = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0
                || WINDOWS_DRIVE.matcher(name).matches() || Arrays.asList(name.split("/")).contains("..");
        Path resolved = unsafe ? null : target.resolve(name).normalize();
        if (resolved == null || !resolved.startsWith(target) || resolved.equals(target)) {
            throw refused("migration bundle entry '" + printable(name) + "' points outside the target directory "
                    + "(zip slip)");
        }
        return resolved;
    }

    private static boolean isIgnored(String name) {
        return name.endsWith("/") || name.startsWith("__MACOSX/") || name.equals(".DS_Store");
    }

    private static long inflatedSize(ZipInputStream in, String name, long allowance, Limits limits)
            throws IOException, FeedException {
        long size = 0;
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            size += read;
            if (size > allowance) {
                throw refused("migration bundle expands to more than " + limits.maxTotalBytes() + " bytes (at entry '"
                        + printable(name) + "'): refused as a possible zip bomb");
            }
        }
        return size;
    }

    /** Entry names are attacker-controlled: keep control characters out of messages and logs, and keep them short. */
    private static String printable(String text) {
        String clean = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= 120 ? clean : clean.substring(0, 117) + "...";
    }

    private static FeedException refused(String message) {
        return new FeedException(FeedException.Kind.IntegrityMismatch, message);
    }
}
