package dev.slipway.kubernetes.status;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Instants from a ManagedUpgrade's status as an administrator reads them (in the CLI's status and the console): local
 * wall time, UTC, and how far off.
 */
public final class TimeWords {

    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DATE_AND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private TimeWords() {
    }

    /** The instant in a status field, or null when absent or not an instant (an edited status must not break status). */
    public static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }

    /** The zone of {@code spec.maintenance.timeZone}, else UTC (the operator reports an invalid one as InvalidSpec). */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException invalid) {
            return ZoneOffset.UTC;
        }
    }

    /** {@code Sat 28 Nov 02:00 Europe/Berlin (01:00 UTC, in 1d 23h)}; the UTC part only when the zone is not UTC. */
    public static String inZone(Instant at, ZoneId zone, Instant now) {
        String local = DAY_AND_TIME.format(at.atZone(zone)) + " " + zoneName(zone);
        String utc = zone.normalized().equals(ZoneOffset.UTC) ? "" : TIME.format(at.atZone(ZoneOffset.UTC)) + " UTC, ";
        return local + " (" + utc + relative(at, now) + ")";
    }

    /** {@code Sat 28 Nov 02:00 Europe/Berlin}, for a table. */
    public static String shortInZone(Instant at, ZoneId zone) {
        return DAY_AND_TIME.format(at.atZone(zone)) + " " + zoneName(zone);
    }

    /** {@code 2026-11-26 02:03 UTC (7m ago)}. */
    public static String utc(Instant at, Instant now) {
        return DATE_AND_TIME.format(at.atZone(ZoneOffset.UTC)) + " UTC (" + relative(at, now) + ")";
    }

    /** {@code in 1d 23h}, {@code 7m ago}, {@code now}. */
    public static String relative(Instant at, Instant now) {
        Duration between = Duration.between(now, at);
        if (between.abs().toSeconds() < 1) {
            return "now";
        }
        String amount = duration(between.abs());
        return between.isNegative() ? amount + " ago" : "in " + amount;
    }

    /** {@code 1d 23h}, {@code 2h 5m}, {@code 7m}, {@code 45s}: two units at most. */
    public static String duration(Duration duration) {
        if (duration.toDays() > 0) {
            return duration.toDays() + "d" + (duration.toHoursPart() > 0 ? " " + duration.toHoursPart() + "h" : "");
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + "h" + (duration.toMinutesPart() > 0 ? " " + duration.toMinutesPart() + "m" : "");
        }
        return duration.toMinutes() > 0 ? duration.toMinutes() + "m" : duration.toSeconds() + "s";
    }

    private static String zoneName(ZoneId zone) {
        return zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }
}
