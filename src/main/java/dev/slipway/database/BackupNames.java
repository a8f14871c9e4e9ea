package dev.slipway.database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of backup databases: {@code <db>_slipway_<fromVersion>_<yyyyMMddHHmmss>}, only lower-case letters, digits and
 * underscores, and at most 63 bytes (PostgreSQL's identifier limit: a longer name would be cut silently, and two
 * backups could collide). The {@code <db>} part depends on the database alone, so every backup of one database shares
 * one prefix whatever its version: a database name that needed changing, or is longer than 24 characters, becomes its
 * first 17 characters and 6 hex digits of its SHA-256, so that another database cannot share the prefix.
 */
public final class BackupNames {

    static final int MAX_IDENTIFIER_BYTES = 63;
    private static final int MAX_DATABASE_PART = 24;
    private static final String INFIX = "_slipway_";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = 14;
    private static final String FAILED = "failed_";
    // A failed database set aside by a restore is no backup: retention must never drop it.
    private static final Pattern AFTER_PREFIX = Pattern.compile("(?!" + FAILED + ")[a-z0-9_]+_[0-9]{" + STAMP_LENGTH + "}");

    private BackupNames() {
    }

    /** The name of a backup of {@code database} taken at {@code at} before upgrading from {@code fromVersion}. */
    public static String name(String database, String fromVersion, Instant at) {
        String prefix = prefix(database);
        int versionRoom = MAX_IDENTIFIER_BYTES - prefix.length() - 1 - STAMP_LENGTH;
        String version = sanitise(fromVersion);
        return prefix + version.substring(0, Math.min(version.length(), versionRoom)) + "_" + STAMP.format(at);
    }

    /** {@code yyyyMMddHHmmss} in UTC: the time part of backup names, here and of the Jobs and Backups of other methods. */
    public static String timestamp(Instant at) {
        return STAMP.format(at);
    }

    /** The name a restore at {@code at} gives the database it replaces: {@code <db>_slipway_failed_<yyyyMMddHHmmss>}. */
    public static String failedName(String database, Instant at) {
        return prefix(database) + FAILED + STAMP.format(at);
    }

    /** What the names of every backup of {@code database} begin with. */
    public static String prefix(String database) {
        String sanitised = sanitise(database);
        String part = sanitised.equals(database) && sanitised.length() <= MAX_DATABASE_PART ? sanitised
                : sanitised.substring(0, Math.min(sanitised.length(), MAX_DATABASE_PART - 7)) + "_" + shortHash(database);
        return part + INFIX;
    }

    /** Whether {@code candidate} is the name of a backup of the database whose {@link #prefix} this is. */
    public static boolean isBackup(String prefix, String candidate) {
        return candidate.startsWith(prefix) && AFTER_PREFIX.matcher(candidate.substring(prefix.length())).matches();
    }

    /** The time stamp of a backup's name; stamps sort as their times do. */
    public static String stamp(String backup) {
        return backup.substring(backup.length() - STAMP_LENGTH);
    }

    private static String sanitise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
