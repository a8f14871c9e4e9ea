package dev.slipway.core.window;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.KubeDuration;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@code maintenance} object (issue 3, section 6) into a {@link MaintenanceSchedule}. Every rejection is an
 * {@link InvalidSpecException} naming the field by its full path below the prefix the caller passes in; nothing else
 * escapes, whatever the JSON. A {@code null} or missing node means "not configured" and yields
 * {@link MaintenanceSchedule#notConfigured()}: upgrades may start at any time.
 */
public final class MaintenanceSpecParser {

    static final Duration SHORTEST_WINDOW = Duration.ofMinutes(30);
    static final Duration LONGEST_WINDOW = Duration.ofHours(168);
    private static final Pattern START_TIME = Pattern.compile("(\\d\\d):(\\d\\d)");
    private static final List<String> DAY_NAMES =
            EnumSet.allOf(DayOfWeek.class).stream().map(day -> day.getDisplayName(TextStyle.SHORT, Locale.ROOT)).toList();

    private MaintenanceSpecParser() {
    }

    /**
     * @param maintenance the {@code maintenance} object, or null/missing when the admin left it out
     * @param path        how the admin's document reaches it, for example {@code spec.maintenance}; empty when the
     *                    document is the maintenance object itself
     */
    public static ParsedMaintenance parse(JsonNode maintenance, String path) {
        SpecNode root = SpecNode.root(maintenance, path);
        if (root.isAbsent()) {
            return new ParsedMaintenance(MaintenanceSchedule.notConfigured(), List.of());
        }
        root.requireObject("timeZone", "windows", "exclusions", "minimumRemaining", "onWindowEnd");
        ZoneId zone = zone(root.field("timeZone"));
        List<String> warnings = new ArrayList<>();
        List<WindowRule> windows = new ArrayList<>();
        List<SpecNode> windowNodes = root.field("windows").requireNonEmptyArray();
        for (int i = 0; i < windowNodes.size(); i++) {
            windows.add(window(windowNodes.get(i), "windows[" + i + "]", zone, warnings));
        }
        List<Exclusion> exclusions = new ArrayList<>();
        List<SpecNode> exclusionNodes = root.field("exclusions").optionalArray();
        for (int i = 0; i < exclusionNodes.size(); i++) {
            exclusions.add(ExclusionParser.parse(exclusionNodes.get(i), "exclusions[" + i + "]", zone));
        }
        SpecNode minimumRemaining = root.field("minimumRemaining");
        Duration minimum = minimumRemaining.isAbsent() ? Duration.ZERO
                : KubeDuration.parse(minimumRemaining.requireText(), minimumRemaining.path());
        OnWindowEnd onWindowEnd = root.field("onWindowEnd")
                .optionalChoice(OnWindowEnd.values(), OnWindowEnd::specName, OnWindowEnd.CONTINUE);
        MaintenanceSchedule schedule = new MaintenanceSchedule(zone, windows, exclusions, minimum, onWindowEnd);
        warnings.addAll(ScheduleWarnings.of(schedule, root.field("windows").path(), minimumRemaining.path()));
        return new ParsedMaintenance(schedule, warnings);
    }

    private static ZoneId zone(SpecNode field) {
        String id = field.requireText();
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            throw field.invalid("\"" + id + "\" is not an IANA time zone id (such as Europe/Berlin, America/New_York or UTC)");
        }
        return ZoneId.of(id);
    }

    private static WindowRule window(SpecNode window, String defaultName, ZoneId zone, List<String> warnings) {
        window.requireObject("name", "days", "monthDays", "between", "startTime", "duration");
        String name = window.field("name").isAbsent() ? defaultName : window.field("name").requireText();
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("days", "monthDays", "between")) {
            if (window.field(kind).isPresent()) {
                kinds.add(kind);
            }
        }
        if (kinds.size() != 1) {
            throw window.invalid("must have exactly one of days, monthDays, between"
                    + (kinds.isEmpty() ? "" : "; found " + String.join(" and ", kinds)));
        }
        return switch (kinds.get(0)) {
            case "between" -> oneOff(window, name, zone);
            case "days" -> recurring(window, name, weekdays(window.field("days")));
            default -> recurring(window, name, monthDays(window.field("monthDays"), warnings));
        };
    }

    private static WindowRule.Recurring recurring(SpecNode window, String name, DateSelector dates) {
        LocalTime startTime = startTime(window.field("startTime"));
        SpecNode durationField = window.field("duration");
        Duration duration = KubeDuration.parse(durationField.requireText(), durationField.path());
        if (duration.compareTo(SHORTEST_WINDOW) < 0 || duration.compareTo(LONGEST_WINDOW) > 0) {
            throw durationField.invalid("must be from 30m to 168h, got " + durationField.node().textValue());
        }
        return new WindowRule.Recurring(name, dates, startTime, duration);
    }

    private static WindowRule.OneOff oneOff(SpecNode window, String name, ZoneId zone) {
        for (String recurringOnly : List.of("startTime", "duration")) {
            if (window.field(recurringOnly).isPresent()) {
                throw window.field(recurringOnly).invalid("is not used with between; between has its own start and end");
            }
        }
        SpecNode between = window.field("between").requireObject("start", "end");
        Instant start = dateTime(between.field("start"), zone);
        Instant end = dateTime(between.field("end"), zone);
        if (!start.isBefore(end)) {
            throw between.field("end").invalid("must be after between.start");
        }
        return new WindowRule.OneOff(name, start, end);
    }

    /** RFC 3339 with an offset; without one, a local date-time in the schedule's zone (a gap moves it later). */
    private static Instant dateTime(SpecNode field, ZoneId zone) {
        String text = field.requireText();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException withoutOffset) {
            try {
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
            } catch (DateTimeException | ArithmeticException notADateTime) {
                throw field.invalid("\"" + text + "\" is not a date-time such as 2026-11-14T20:00:00+01:00");
            }
        }
    }

    private static LocalTime startTime(SpecNode field) {
        String text = field.requireText();
        Matcher time = START_TIME.matcher(text);
        if (!time.matches() || Integer.parseInt(time.group(1)) > 23 || Integer.parseInt(time.group(2)) > 59) {
            throw field.invalid("\"" + text + "\" must be HH:MM from 00:00 to 23:59");
        }
        return LocalTime.of(Integer.parseInt(time.group(1)), Integer.parseInt(time.group(2)));
    }

    private static DateSelector weekdays(SpecNode field) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (SpecNode day : field.requireNonEmptyArray()) {
            String text = day.requireText();
            int index = DAY_NAMES.indexOf(text);
            if (index < 0) {
                throw day.invalid("\"" + text + "\" is not one of " + String.join(", ", DAY_NAMES));
            }
            days.add(DayOfWeek.of(index + 1));
        }
        return new DateSelector.Weekdays(days);
    }

    private static DateSelector monthDays(SpecNode field, List<String> warnings) {
        Set<Integer> days = new LinkedHashSet<>();
        for (SpecNode day : field.requireNonEmptyArray()) {
            int value = day.requireInt();
            if (value == 0 || value < -31 || value > 31) {
                throw day.invalid(value + " is not a day of the month; use 1..31, or -1..-31 counting from the end");
            }
            if (Math.abs(value) >= 29) {
                warnings.add(day.path() + ": " + value + " does not exist in every month; those months are skipped,"
                        + " not clamped (use -1 for the last day)");
            }
            days.add(value);
        }
        return new DateSelector.MonthDays(days);
    }

    /** Parses exclusions; separate to keep each parser small. */
    private static final class ExclusionParser {

        static Exclusion parse(SpecNode exclusion, String defaultName, ZoneId zone) {
            exclusion.requireObject("name", "startDate", "endDate", "start", "end", "scope");
            String name = exclusion.field("name").isAbsent() ? defaultName : exclusion.field("name").requireText();
            ExclusionScope scope = exclusion.field("scope")
                    .optionalChoice(ExclusionScope.values(), ExclusionScope::specName, ExclusionScope.ALL);
            boolean dates = exclusion.field("startDate").isPresent() || exclusion.field("endDate").isPresent();
            boolean instants = exclusion.field("start").isPresent() || exclusion.field("end").isPresent();
            if (dates == instants) {
                throw exclusion.invalid("must have either startDate and endDate, or start and end");
            }
            return dates ? byDates(exclusion, name, scope, zone) : byInstants(exclusion, name, scope);
        }

        private static Exclusion byDates(SpecNode exclusion, String name, ExclusionScope scope, ZoneId zone) {
            LocalDate startDate = date(exclusion.field("startDate"));
            LocalDate endDate = date(exclusion.field("endDate"));
            if (endDate.isBefore(startDate)) {
                throw exclusion.field("endDate").invalid("must not be before startDate");
            }
            try {
                return new Exclusion(name, startDate.atStartOfDay(zone).toInstant(),
                        endDate.plusDays(1).atStartOfDay(zone).toInstant(), scope);
            } catch (DateTimeException | ArithmeticException outOfRange) {
                throw exclusion.field("endDate").invalid("is too far in the future");
            }
        }

        private static Exclusion byInstants(SpecNode exclusion, String name, ExclusionScope scope) {
            Instant start = instant(exclusion.field("start"));
            Instant end = instant(exclusion.field("end"));
            if (!end.isAfter(start)) {
                throw exclusion.field("end").invalid("must be after start");
            }
            return new Exclusion(name, start, end, scope);
        }

        private static LocalDate date(SpecNode field) {
            String text = field.requireText();
            try {
                return LocalDate.parse(text);
            } catch (DateTimeException notADate) {
                throw field.invalid("\"" + text + "\" is not a date such as 2026-12-19");
            }
        }

        private static Instant instant(SpecNode field) {
            String text = field.requireText();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException notAnInstant) {
                throw field.invalid("\"" + text + "\" must be an RFC 3339 date-time with an offset,"
                        + " such as 2026-11-27T00:00:00-05:00 or 2026-11-30T12:00:00Z");
            }
        }
    }
}
