package dev.slipway.core.window;

import static dev.slipway.core.window.Schedules.engine;
import static dev.slipway.core.window.Schedules.utc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DST gaps and overlaps, half-hour DST, and zones with :30 and :45 offsets. */
class WindowEngineTimeZoneTest {

    private static String daily(String zone, String startTime, String duration) {
        return "timeZone: " + zone + "\nwindows: [{days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun], startTime: \""
                + startTime + "\", duration: " + duration + "}]\n";
    }

    @Test
    void newYorkSpringForwardMovesAStartInTheGapLaterAndSaysSo() {
        WindowEvaluation evaluation = engine(daily("America/New_York", "02:30", "1h"))
                .evaluate(utc("2026-03-08T05:00:00Z"), UpgradeScope.MAJOR);

        assertThat(evaluation.nextWindow().start()).isEqualTo(utc("2026-03-08T07:30:00Z"));
        assertThat(evaluation.nextWindow().end()).isEqualTo(utc("2026-03-08T08:30:00Z"));
        assertThat(evaluation.nextWindow().startLocal()).isEqualTo(LocalDateTime.parse("2026-03-08T03:30"));
        assertThat(evaluation.nextWindow().adjustment()).contains("starts 03:30 instead of 02:30");
    }

    @ParameterizedTest(name = "{0} {1}: once, from {3} to {4}")
    @CsvSource({
            "America/New_York, 01:30, 1h, 2026-11-01T05:30:00Z, 2026-11-01T06:30:00Z, 2026-11-02T06:30:00Z",
            "Europe/Berlin, 02:30, 30m, 2026-10-25T00:30:00Z, 2026-10-25T01:00:00Z, 2026-10-26T01:30:00Z",
            "Australia/Lord_Howe, 01:45, 30m, 2026-04-04T14:45:00Z, 2026-04-04T15:15:00Z, 2026-04-05T15:15:00Z",
    })
    void onAFallBackNightAStartTimeInTheOverlapOpensTheWindowOnceAtItsFirstOccurrence(String zone, String startTime,
            String duration, Instant start, Instant end, Instant nextDayStart) {
        WindowEngine engine = engine(daily(zone, startTime, duration));
        Instant repeatedLocalStartTime = start.plus(ZoneId.of(zone).getRules().getTransition(
                LocalDate.ofInstant(start, ZoneId.of(zone)).atTime(LocalTime.parse(startTime))).getDuration().negated());

        EffectiveWindow window = engine.evaluate(start.minusSeconds(3600), UpgradeScope.MAJOR).nextWindow();
        WindowEvaluation atRepeatedLocalTime = engine.evaluate(repeatedLocalStartTime, UpgradeScope.MAJOR);

        assertThat(window.start()).isEqualTo(start);
        assertThat(window.end()).isEqualTo(end);
        assertThat(atRepeatedLocalTime.inWindow()).isFalse();
        assertThat(atRepeatedLocalTime.nextWindow().start()).isEqualTo(nextDayStart);
    }

    @Test
    void newYorkFallBackShiftsTheLocalEndAndSaysSo() {
        EffectiveWindow window = engine(daily("America/New_York", "01:30", "1h"))
                .evaluate(utc("2026-11-01T04:00:00Z"), UpgradeScope.MAJOR).nextWindow();

        assertThat(window.endLocal()).isEqualTo(LocalDateTime.parse("2026-11-01T01:30"));
        assertThat(window.adjustment()).contains("ends 01:30 local time instead of 02:30");
    }

    @Test
    void berlinWindowsLastTheirElapsedDurationAcrossBothDstChanges() {
        var engine = engine("""
                timeZone: Europe/Berlin
                windows: [{days: [Sat], startTime: "22:00", duration: 8h}]
                """);

        EffectiveWindow spring = engine.evaluate(utc("2026-03-28T12:00:00Z"), UpgradeScope.MAJOR).nextWindow();
        EffectiveWindow autumn = engine.evaluate(utc("2026-10-24T12:00:00Z"), UpgradeScope.MAJOR).nextWindow();
        EffectiveWindow ordinary = engine.evaluate(utc("2026-11-07T12:00:00Z"), UpgradeScope.MAJOR).nextWindow();

        assertThat(spring.start()).isEqualTo(utc("2026-03-28T21:00:00Z"));
        assertThat(spring.end()).isEqualTo(utc("2026-03-29T05:00:00Z"));
        assertThat(spring.endLocal()).isEqualTo(LocalDateTime.parse("2026-03-29T07:00"));
        assertThat(spring.adjustment()).contains("ends 07:00 local time instead of 06:00");
        assertThat(autumn.end()).isEqualTo(utc("2026-10-25T04:00:00Z"));
        assertThat(autumn.endLocal()).isEqualTo(LocalDateTime.parse("2026-10-25T05:00"));
        assertThat(ordinary.adjustment()).isNull();
    }

    @Test
    void berlinSpringForwardMovesAStartInTheGapLater() {
        EffectiveWindow gapNight = engine(daily("Europe/Berlin", "02:30", "30m"))
                .evaluate(utc("2026-03-28T23:00:00Z"), UpgradeScope.MAJOR).nextWindow();

        assertThat(gapNight.start()).isEqualTo(utc("2026-03-29T01:30:00Z"));
        assertThat(gapNight.startLocal()).isEqualTo(LocalDateTime.parse("2026-03-29T03:30"));
    }

    @Test
    void lordHoweHalfHourGapMovesTheStartByThirtyMinutes() {
        EffectiveWindow window = engine(daily("Australia/Lord_Howe", "02:15", "1h"))
                .evaluate(utc("2026-10-03T14:00:00Z"), UpgradeScope.MAJOR).nextWindow();

        assertThat(window.start()).isEqualTo(utc("2026-10-03T15:45:00Z"));
        assertThat(window.startLocal()).isEqualTo(LocalDateTime.parse("2026-10-04T02:45"));
        assertThat(window.adjustment()).contains("starts 02:45 instead of 02:15");
    }

    @Test
    void kolkataPlusFiveThirtyMidnightIsTheEveningBeforeInUtc() {
        WindowEvaluation evaluation = engine(daily("Asia/Kolkata", "00:00", "1h"))
                .evaluate(utc("2026-06-01T18:45:00Z"), UpgradeScope.MAJOR);

        assertThat(evaluation.currentWindow().start()).isEqualTo(utc("2026-06-01T18:30:00Z"));
        assertThat(evaluation.nextWindow().startLocal()).isEqualTo(LocalDateTime.parse("2026-06-03T00:00"));
    }

    @Test
    void kathmanduPlusFiveFortyFiveMondayWindowStartsOnSundayInUtc() {
        WindowEvaluation sunday = engine("""
                timeZone: Asia/Kathmandu
                windows: [{days: [Mon], startTime: "00:00", duration: 1h}]
                """).evaluate(utc("2026-11-29T18:00:00Z"), UpgradeScope.MAJOR);

        assertThat(sunday.nextWindow().start()).isEqualTo(utc("2026-11-29T18:15:00Z"));
        assertThat(sunday.nextWindow().startLocal()).isEqualTo(LocalDateTime.parse("2026-11-30T00:00"));
    }

    @Test
    void stJohnsMinusTwoThirtyInSummerAndMinusThreeThirtyInWinter() {
        var engine = engine("""
                timeZone: America/St_Johns
                windows: [{days: [Sun], startTime: "22:00", duration: 2h}]
                """);

        assertThat(engine.evaluate(utc("2026-07-06T00:00:00Z"), UpgradeScope.MAJOR).nextWindow().start())
                .isEqualTo(utc("2026-07-06T00:30:00Z"));
        assertThat(engine.evaluate(utc("2026-01-05T00:00:00Z"), UpgradeScope.MAJOR).nextWindow().start())
                .isEqualTo(utc("2026-01-05T01:30:00Z"));
    }
}
