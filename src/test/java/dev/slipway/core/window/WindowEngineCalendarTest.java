package dev.slipway.core.window;

import static dev.slipway.core.window.Schedules.engine;
import static dev.slipway.core.window.Schedules.utc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Month days that months lack are skipped, never clamped; leap days count. */
class WindowEngineCalendarTest {

    @ParameterizedTest(name = "monthDays [{0}] after {1} -> {2}")
    @CsvSource({
            "29, 2027-02-01T00:00:00Z, 2027-03-29T22:00:00Z",
            "29, 2028-02-01T00:00:00Z, 2028-02-29T22:00:00Z",
            "-1, 2028-02-01T00:00:00Z, 2028-02-29T22:00:00Z",
            "-1, 2027-02-01T00:00:00Z, 2027-02-28T22:00:00Z",
            "31, 2026-04-01T00:00:00Z, 2026-05-31T22:00:00Z",
            "-31, 2026-04-01T00:00:00Z, 2026-05-01T22:00:00Z",
            "31, 2026-12-31T23:00:00Z, 2027-01-31T22:00:00Z",
    })
    void monthDaysSkipMonthsThatLackTheDay(int monthDay, String after, String expectedStart) {
        WindowEngine engine = engine("timeZone: UTC\nwindows: [{monthDays: [" + monthDay
                + "], startTime: \"22:00\", duration: 1h}]\n");

        assertThat(engine.evaluate(Instant.parse(after), UpgradeScope.MAJOR).nextWindow().start())
                .isEqualTo(Instant.parse(expectedStart));
    }

    @ParameterizedTest(name = "a Tuesday window on leap day, at {0}: in window {1}")
    @CsvSource({"2028-02-29T21:59:59Z, false", "2028-02-29T22:00:00Z, true", "2028-03-01T01:59:59Z, true",
            "2028-03-01T02:00:00Z, false"})
    void aWeekdayWindowOnLeapDayRunsIntoMarch(String at, boolean inWindow) {
        WindowEngine engine = engine("timeZone: UTC\nwindows: [{days: [Tue], startTime: \"22:00\", duration: 4h}]\n");

        assertThat(engine.evaluate(utc(at), UpgradeScope.MAJOR).inWindow()).isEqualTo(inWindow);
    }
}
