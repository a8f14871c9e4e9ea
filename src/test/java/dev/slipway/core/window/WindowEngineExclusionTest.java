package dev.slipway.core.window;

import static dev.slipway.core.window.Schedules.engine;
import static dev.slipway.core.window.Schedules.utc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowEngineExclusionTest {

    private static final String WEEKNIGHTS = """
            timeZone: Europe/Berlin
            windows: [{name: weeknights, days: [Mon, Tue, Wed, Thu], startTime: "22:00", duration: 4h}]
            minimumRemaining: 45m
            """;

    @Test
    void anExclusionInsideAWindowClipsItIntoTwo() {
        WindowEngine engine = engine(WEEKNIGHTS + """
                exclusions: [{name: backup, start: "2026-11-26T17:00:00-05:00", end: "2026-11-26T23:00:00Z"}]
                """);

        WindowEvaluation beforeBackup = engine.evaluate(utc("2026-11-26T21:30:00Z"), UpgradeScope.MAJOR);
        WindowEvaluation duringBackup = engine.evaluate(utc("2026-11-26T22:30:00Z"), UpgradeScope.MAJOR);

        assertThat(beforeBackup.currentWindow().end()).isEqualTo(utc("2026-11-26T22:00:00Z"));
        assertThat(beforeBackup.reason()).isEqualTo(WindowReason.InsufficientRemainingWindow);
        assertThat(beforeBackup.nextEligibleStart()).isEqualTo(utc("2026-11-26T23:00:00Z"));
        assertThat(duringBackup.reason()).isEqualTo(WindowReason.Excluded);
        assertThat(duringBackup.inWindow()).isFalse();
        assertThat(duringBackup.nextWindow().start()).isEqualTo(utc("2026-11-26T23:00:00Z"));
        assertThat(duringBackup.nextWindow().end()).isEqualTo(utc("2026-11-27T01:00:00Z"));
    }

    @Test
    void aDateFreezeSwallowsWholeWindowsAndEndsAtLocalMidnightAfterItsEndDate() {
        WindowEngine engine = engine(WEEKNIGHTS + """
                exclusions: [{name: freeze, startDate: "2026-12-19", endDate: "2027-01-04"}]
                """);

        WindowEvaluation beforeFreeze = engine.evaluate(utc("2026-12-18T12:00:00Z"), UpgradeScope.PATCH);
        WindowEvaluation inFreeze = engine.evaluate(utc("2026-12-21T21:30:00Z"), UpgradeScope.PATCH);

        assertThat(beforeFreeze.nextWindow().start()).isEqualTo(utc("2027-01-04T23:00:00Z"));
        assertThat(beforeFreeze.nextWindow().startLocal()).isEqualTo(LocalDateTime.parse("2027-01-05T00:00"));
        assertThat(beforeFreeze.nextWindow().end()).isEqualTo(utc("2027-01-05T01:00:00Z"));
        assertThat(inFreeze.reason()).isEqualTo(WindowReason.Excluded);
        assertThat(inFreeze.nextEligibleStart()).isEqualTo(utc("2027-01-04T23:00:00Z"));
    }

    @Test
    void aDateExclusionEndsAtTheRealStartOfTheNextDayEvenWhenThatIsOneOClock() {
        // Havana springs forward at midnight: 2026-03-08 begins at 01:00 local (05:00Z).
        WindowEvaluation evaluation = engine("""
                timeZone: America/Havana
                windows: [{days: [Sat], startTime: "23:00", duration: 3h}]
                exclusions: [{startDate: "2026-03-07", endDate: "2026-03-07"}]
                """).evaluate(utc("2026-03-07T12:00:00Z"), UpgradeScope.MAJOR);

        assertThat(evaluation.nextWindow().start()).isEqualTo(utc("2026-03-08T05:00:00Z"));
        assertThat(evaluation.nextWindow().startLocal()).isEqualTo(LocalDateTime.parse("2026-03-08T01:00"));
        assertThat(evaluation.nextWindow().end()).isEqualTo(utc("2026-03-08T07:00:00Z"));
    }

    @Test
    void overlappingExclusionsBlockTheirUnion() {
        WindowEvaluation evaluation = engine(WEEKNIGHTS + """
                exclusions:
                  - {start: "2026-11-26T20:00:00Z", end: "2026-11-26T22:00:00Z"}
                  - {start: "2026-11-26T21:30:00Z", end: "2026-11-26T23:30:00Z"}
                """).evaluate(utc("2026-11-26T20:00:00Z"), UpgradeScope.MAJOR);

        assertThat(evaluation.nextWindow().start()).isEqualTo(utc("2026-11-26T23:30:00Z"));
    }

    @ParameterizedTest(name = "exclusion scope {0}, {1} upgrade: can start {2}")
    @CsvSource({
            "All, PATCH, false", "All, MINOR, false", "All, MAJOR, false",
            "MinorAndMajor, PATCH, true", "MinorAndMajor, MINOR, false", "MinorAndMajor, MAJOR, false",
            "Major, PATCH, true", "Major, MINOR, true", "Major, MAJOR, false",
    })
    void anExclusionBlocksOnlyTheUpgradesOfItsScope(String exclusionScope, UpgradeScope upgrade, boolean canStart) {
        WindowEvaluation evaluation = engine(WEEKNIGHTS + "exclusions: [{name: black-friday, start: \"2026-11-26T00:00:00-05:00\","
                + " end: \"2026-11-30T12:00:00Z\", scope: " + exclusionScope + "}]\n")
                .evaluate(utc("2026-11-26T21:30:00Z"), upgrade);

        assertThat(evaluation.canStart()).isEqualTo(canStart);
        assertThat(evaluation.reason()).isEqualTo(canStart ? WindowReason.InWindow : WindowReason.Excluded);
    }
}
