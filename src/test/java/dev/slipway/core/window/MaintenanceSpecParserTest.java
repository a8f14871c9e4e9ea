package dev.slipway.core.window;

import static dev.slipway.core.window.Schedules.parse;
import static dev.slipway.core.window.Schedules.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.InvalidSpecException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaintenanceSpecParserTest {

    private static final String ISSUE_EXAMPLE = """
            timeZone: Europe/Berlin
            windows:
              - {name: weeknights, days: [Mon, Tue, Wed, Thu], startTime: 22:00, duration: 4h}
              - {name: month-end, monthDays: [-1], startTime: "02:00", duration: 3h}
              - {name: one-off, between: {start: "2026-11-14T20:00:00+01:00", end: "2026-11-15T04:00:00+01:00"}}
            exclusions:
              - {name: freeze, startDate: 2026-12-19, endDate: 2027-01-04, scope: All}
              - {name: black-friday, start: "2026-11-27T00:00:00-05:00", end: "2026-11-30T12:00:00Z", scope: MinorAndMajor}
            minimumRemaining: 45m
            onWindowEnd: Pause
            """;

    @Test
    void parsesTheIssueExample() {
        ParsedMaintenance parsed = parse(ISSUE_EXAMPLE);
        MaintenanceSchedule schedule = parsed.schedule();

        assertThat(parsed.warnings()).isEmpty();
        assertThat(schedule.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(schedule.windows()).hasSize(3);
        assertThat(schedule.windows().get(0)).isEqualTo(new WindowRule.Recurring("weeknights",
                new DateSelector.Weekdays(java.util.Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                        DayOfWeek.THURSDAY)), LocalTime.of(22, 0), Duration.ofHours(4)));
        assertThat(schedule.windows().get(2)).isEqualTo(new WindowRule.OneOff("one-off",
                Instant.parse("2026-11-14T19:00:00Z"), Instant.parse("2026-11-15T03:00:00Z")));
        assertThat(schedule.exclusions()).containsExactly(
                new Exclusion("freeze", Instant.parse("2026-12-18T23:00:00Z"), Instant.parse("2027-01-04T23:00:00Z"),
                        ExclusionScope.ALL),
                new Exclusion("black-friday", Instant.parse("2026-11-27T05:00:00Z"),
                        Instant.parse("2026-11-30T12:00:00Z"), ExclusionScope.MINOR_AND_MAJOR));
        assertThat(schedule.minimumRemaining()).isEqualTo(Duration.ofMinutes(45));
        assertThat(schedule.onWindowEnd()).isEqualTo(OnWindowEnd.PAUSE);
        assertThat(schedule.configured()).isTrue();
    }

    @Test
    void defaultsAreNoMinimumContinueAndScopeAll() {
        MaintenanceSchedule schedule = parse("""
                timeZone: UTC
                windows: [{days: [Sun], startTime: "00:00", duration: 30m}]
                exclusions: [{startDate: "2026-01-01", endDate: "2026-01-01"}]
                """).schedule();

        assertThat(schedule.minimumRemaining()).isZero();
        assertThat(schedule.onWindowEnd()).isEqualTo(OnWindowEnd.CONTINUE);
        assertThat(schedule.exclusions().get(0).scope()).isEqualTo(ExclusionScope.ALL);
        assertThat(schedule.windows().get(0).name()).isEqualTo("windows[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "~"})
    void anOmittedOrNullMaintenanceIsNotConfigured(String document) {
        assertThat(MaintenanceSpecParser.parse(yaml(document), "spec.maintenance").schedule().configured()).isFalse();
        assertThat(MaintenanceSpecParser.parse(yaml("{}").get("maintenance"), "maintenance").schedule().configured())
                .isFalse();
    }

    @ParameterizedTest(name = "timeZone {0} is accepted")
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"})
    void acceptsIanaZones(String zone) {
        assertThat(parse("timeZone: " + zone + "\nwindows: [{days: [Mon], startTime: \"00:00\", duration: 1h}]\n")
                .schedule().zone().getId()).isEqualTo(zone);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            timeZone: UTC+2                                                   | maintenance.timeZone            | not an IANA time zone
            timeZone: "+05:30"                                                | maintenance.timeZone            | not an IANA time zone
            timeZone: EST                                                     | maintenance.timeZone            | not an IANA time zone
            timeZone: America/New York                                        | maintenance.timeZone            | not an IANA time zone
            timeZone: 5                                                       | maintenance.timeZone            | must be a string
            windows: [{days: [Mon], startTime: "24:00", duration: 1h}]        | maintenance.windows[0].startTime | HH:MM
            windows: [{days: [Mon], startTime: "7:00", duration: 1h}]         | maintenance.windows[0].startTime | HH:MM
            windows: [{days: [Mon], startTime: "22:60", duration: 1h}]        | maintenance.windows[0].startTime | HH:MM
            windows: [{days: [Mon], duration: 1h}]                            | maintenance.windows[0].startTime | is required
            windows: [{days: [Mon], startTime: "22:00", duration: 29m}]       | maintenance.windows[0].duration  | from 30m to 168h
            windows: [{days: [Mon], startTime: "22:00", duration: 168h1s}]    | maintenance.windows[0].duration  | from 30m to 168h
            windows: [{days: [Mon], startTime: "22:00", duration: 1d}]        | maintenance.windows[0].duration  | no day unit
            windows: [{days: [Mon], startTime: "22:00", duration: 90}]        | maintenance.windows[0].duration  | must be a string
            windows: [{startTime: "22:00", duration: 1h}]                     | maintenance.windows[0]           | exactly one of days, monthDays, between
            windows: [{days: [Mon], monthDays: [1], startTime: "22:00", duration: 1h}] | maintenance.windows[0]  | found days and monthDays
            windows: [{days: [Monday], startTime: "22:00", duration: 1h}]     | maintenance.windows[0].days[0]   | not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun
            windows: [{days: [mon], startTime: "22:00", duration: 1h}]        | maintenance.windows[0].days[0]   | not one of Mon
            windows: [{days: [], startTime: "22:00", duration: 1h}]           | maintenance.windows[0].days      | must not be empty
            windows: [{monthDays: [0], startTime: "22:00", duration: 1h}]     | maintenance.windows[0].monthDays[0] | not a day of the month
            windows: [{monthDays: [32], startTime: "22:00", duration: 1h}]    | maintenance.windows[0].monthDays[0] | not a day of the month
            windows: [{monthDays: [1, -32], startTime: "22:00", duration: 1h}] | maintenance.windows[0].monthDays[1] | not a day of the month
            windows: [{monthDays: [1.5], startTime: "22:00", duration: 1h}]   | maintenance.windows[0].monthDays[0] | whole number
            windows: [{between: {start: "2026-01-02T00:00:00Z", end: "2026-01-02T00:00:00Z"}}] | maintenance.windows[0].between.end | after between.start
            windows: [{between: {start: "2026-01-02", end: "2026-01-03T00:00:00Z"}}] | maintenance.windows[0].between.start | not a date-time
            windows: [{between: {start: "2026-01-02T00:00:00Z", end: "2026-01-03T00:00:00Z"}, duration: 1h}] | maintenance.windows[0].duration | not used with between
            windows: []                                                       | maintenance.windows              | must not be empty
            windows: {days: [Mon]}                                            | maintenance.windows              | must be a list
            windows: [Mon]                                                    | maintenance.windows[0]           | must be an object
            windowz: []                                                       | maintenance.windowz              | not a known field
            exclusions: [{startDate: "2026-01-02", end: "2026-01-03T00:00:00Z"}] | maintenance.exclusions[0]     | either startDate and endDate, or start and end
            exclusions: [{startDate: "2026-01-02"}]                           | maintenance.exclusions[0].endDate | is required
            exclusions: [{startDate: "2026-01-02", endDate: "2026-01-01"}]    | maintenance.exclusions[0].endDate | not be before startDate
            exclusions: [{startDate: "2026-02-30", endDate: "2026-03-01"}]    | maintenance.exclusions[0].startDate | not a date
            exclusions: [{start: "2026-01-02T00:00:00", end: "2026-01-03T00:00:00Z"}] | maintenance.exclusions[0].start | with an offset
            exclusions: [{start: "2026-01-02T00:00:00Z", end: "2026-01-02T00:00:00+00:00"}] | maintenance.exclusions[0].end | must be after start
            exclusions: [{startDate: "2026-01-02", endDate: "2026-01-02", scope: Minor}] | maintenance.exclusions[0].scope | not one of All, MinorAndMajor, Major
            minimumRemaining: -5m                                             | maintenance.minimumRemaining     | must not be negative
            onWindowEnd: Stop                                                 | maintenance.onWindowEnd          | not one of Continue, Pause
            """)
    void rejectsWithTheFieldPathAndAReason(String override, String field, String reason) {
        assertThatThrownBy(() -> parse(withOverride(override)))
                .isInstanceOfSatisfying(InvalidSpecException.class, invalid -> {
                    assertThat(invalid.field()).isEqualTo(field);
                    assertThat(invalid.reason()).contains(reason);
                });
    }

    @Test
    void pathsStartFromWhereTheCallerFoundTheObject() {
        assertThatThrownBy(() -> MaintenanceSpecParser.parse(
                yaml("{timeZone: UTC, windows: [{days: [Mon], startTime: \"22:00\", duration: 10m}]}"), "spec.maintenance"))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("spec.maintenance.windows[0].duration"));
        assertThatThrownBy(() -> MaintenanceSpecParser.parse(yaml("{windows: []}"), ""))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("timeZone"));
        assertThatThrownBy(() -> MaintenanceSpecParser.parse(yaml("[1]"), "maintenance"))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        invalid -> assertThat(invalid.reason()).isEqualTo("must be an object"));
    }

    @Test
    void warnsAboutMonthDaysThatSomeMonthsLack() {
        assertThat(parse("""
                timeZone: UTC
                windows: [{monthDays: [1, 28, 29, -31], startTime: "22:00", duration: 1h}]
                """).warnings())
                .hasSize(2)
                .anySatisfy(warning -> assertThat(warning).startsWith("maintenance.windows[0].monthDays[2]: 29"))
                .anySatisfy(warning -> assertThat(warning).startsWith("maintenance.windows[0].monthDays[3]: -31"));
    }

    @Test
    void warnsWhenOccurrencesMergeIntoContinuousMaintenance() {
        String everyDay = "timeZone: Europe/Berlin\nwindows: [{days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun],"
                + " startTime: \"22:00\", duration: ";

        assertThat(parse(everyDay + "24h}]\n").warnings())
                .containsExactly("maintenance.windows: occurrences overlap or touch and merge into continuous"
                        + " maintenance lasting a week or more, so upgrades may start at almost any time");
        assertThat(parse(everyDay + "23h}]\n").warnings()).isEmpty();
    }

    @Test
    void warnsWhenMinimumRemainingIsLongerThanAnyMergedWindow() {
        String schedule = """
                timeZone: Europe/Berlin
                windows:
                  - {days: [Mon], startTime: "22:00", duration: 4h}
                  - {days: [Tue], startTime: "02:00", duration: 1h}
                  - {between: {start: "2026-11-14T20:00:00+01:00", end: "2026-11-15T02:00:00+01:00"}}
                """ + "minimumRemaining: ";

        assertThat(parse(schedule + "6h\n").warnings()).isEmpty();
        assertThat(parse(schedule + "6h1m\n").warnings()).containsExactly("maintenance.minimumRemaining: 6h1m is"
                + " longer than any window (the longest lasts 6h), so no upgrade could start; status will say NoFutureWindow");
    }

    private static String withOverride(String override) {
        String key = override.substring(0, override.indexOf(':'));
        String base = """
                timeZone: Europe/Berlin
                windows: [{days: [Mon], startTime: "22:00", duration: 4h}]
                """;
        String kept = base.lines().filter(line -> !line.startsWith(key + ":")).reduce("", (a, b) -> a + b + "\n");
        return kept + override + "\n";
    }
}
