package dev.slipway.core.window;

import static dev.slipway.core.window.Schedules.engine;
import static dev.slipway.core.window.Schedules.utc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class WindowEngineTest {

    private static final String WEEKNIGHTS = """
            timeZone: Europe/Berlin
            windows:
              - {name: weeknights, days: [Mon, Tue, Wed, Thu], startTime: "22:00", duration: 4h}
            minimumRemaining: 45m
            """;

    @Test
    void outsideAWindowPointsAtTheNextOneInUtcAndLocalTime() {
        WindowEvaluation noon = engine(WEEKNIGHTS).evaluate(utc("2026-11-26T12:00:00Z"), UpgradeScope.MAJOR);

        assertThat(noon.inWindow()).isFalse();
        assertThat(noon.canStart()).isFalse();
        assertThat(noon.reason()).isEqualTo(WindowReason.OutsideWindow);
        assertThat(noon.currentWindow()).isNull();
        assertThat(noon.nextWindow().start()).isEqualTo(utc("2026-11-26T21:00:00Z"));
        assertThat(noon.nextWindow().end()).isEqualTo(utc("2026-11-27T01:00:00Z"));
        assertThat(noon.nextWindow().startLocal()).isEqualTo(LocalDateTime.parse("2026-11-26T22:00"));
        assertThat(noon.nextWindow().endLocal()).isEqualTo(LocalDateTime.parse("2026-11-27T02:00"));
        assertThat(noon.nextWindow().rules()).containsExactly("weeknights");
        assertThat(noon.nextWindow().adjustment()).isNull();
        assertThat(noon.nextEligibleStart()).isEqualTo(utc("2026-11-26T21:00:00Z"));
        assertThat(noon.latestStart()).isEqualTo(utc("2026-11-27T00:15:00Z"));
    }

    @Test
    void aWindowBelongsToTheDateItStartsOnSoFridayNightCoversSaturdayMorning() {
        WindowEngine engine = engine("""
                timeZone: Europe/Berlin
                windows: [{days: [Fri], startTime: "22:00", duration: 8h}]
                """);

        WindowEvaluation saturday3am = engine.evaluate(utc("2026-11-28T02:00:00Z"), UpgradeScope.MAJOR);

        assertThat(saturday3am.canStart()).isTrue();
        assertThat(saturday3am.currentWindow().start()).isEqualTo(utc("2026-11-27T21:00:00Z"));
        assertThat(saturday3am.currentWindow().end()).isEqualTo(utc("2026-11-28T05:00:00Z"));
        assertThat(saturday3am.nextWindow().start()).isEqualTo(utc("2026-12-04T21:00:00Z"));
    }

    @Test
    void aSundayNightWindowWrapsIntoMondayAndIntoTheNextWeek() {
        WindowEngine engine = engine("""
                timeZone: UTC
                windows: [{days: [Sun], startTime: "23:00", duration: 2h}]
                """);

        WindowEvaluation mondayMorning = engine.evaluate(utc("2026-11-30T00:30:00Z"), UpgradeScope.MAJOR);
        WindowEvaluation saturday = engine.evaluate(utc("2026-12-05T12:00:00Z"), UpgradeScope.MAJOR);

        assertThat(mondayMorning.currentWindow().start()).isEqualTo(utc("2026-11-29T23:00:00Z"));
        assertThat(mondayMorning.nextWindow().start()).isEqualTo(utc("2026-12-06T23:00:00Z"));
        assertThat(saturday.nextWindow().start()).isEqualTo(utc("2026-12-06T23:00:00Z"));
    }

    @Test
    void aNewYearsEveWindowRunsIntoTheNextYear() {
        WindowEngine engine = engine("""
                timeZone: UTC
                windows: [{monthDays: [-1], startTime: "22:00", duration: 4h}]
                """);

        WindowEvaluation midDecember = engine.evaluate(utc("2026-12-15T00:00:00Z"), UpgradeScope.MAJOR);
        WindowEvaluation newYear = engine.evaluate(utc("2027-01-01T01:00:00Z"), UpgradeScope.MAJOR);

        assertThat(midDecember.nextWindow().start()).isEqualTo(utc("2026-12-31T22:00:00Z"));
        assertThat(newYear.currentWindow().start()).isEqualTo(utc("2026-12-31T22:00:00Z"));
        assertThat(newYear.currentWindow().end()).isEqualTo(utc("2027-01-01T02:00:00Z"));
        assertThat(newYear.nextWindow().start()).isEqualTo(utc("2027-01-31T22:00:00Z"));
    }

    @Test
    void windowsAreHalfOpenAndMinimumRemainingEqualityPasses() {
        WindowEngine engine = engine(WEEKNIGHTS);
        Instant latestStart = utc("2026-11-27T00:15:00Z");

        WindowEvaluation atLatestStart = engine.evaluate(latestStart, UpgradeScope.MAJOR);
        WindowEvaluation justAfter = engine.evaluate(latestStart.plusNanos(1), UpgradeScope.MAJOR);
        WindowEvaluation atEnd = engine.evaluate(utc("2026-11-27T01:00:00Z"), UpgradeScope.MAJOR);
        WindowEvaluation atStart = engine.evaluate(utc("2026-11-26T21:00:00Z"), UpgradeScope.MAJOR);

        assertThat(atLatestStart.canStart()).isTrue();
        assertThat(atLatestStart.nextEligibleStart()).isEqualTo(latestStart);
        assertThat(justAfter.inWindow()).isTrue();
        assertThat(justAfter.canStart()).isFalse();
        assertThat(justAfter.reason()).isEqualTo(WindowReason.InsufficientRemainingWindow);
        assertThat(justAfter.nextEligibleStart()).isEqualTo(utc("2026-11-30T21:00:00Z"));
        assertThat(justAfter.latestStart()).isEqualTo(utc("2026-12-01T00:15:00Z"));
        assertThat(atEnd.inWindow()).isFalse();
        assertThat(atStart.canStart()).isTrue();
        assertThat(atStart.nextWindow().start()).as("next window starts after t, not at t")
                .isEqualTo(utc("2026-11-30T21:00:00Z"));
    }

    @Test
    void overlappingAndTouchingOccurrencesOfAllEntriesMergeIntoOneWindow() {
        WindowEngine engine = engine("""
                timeZone: UTC
                windows:
                  - {name: evening, days: [Fri], startTime: "22:00", duration: 4h}
                  - {name: night, days: [Sat], startTime: "02:00", duration: 2h}
                  - {name: overlap, days: [Sat], startTime: "03:00", duration: 3h}
                minimumRemaining: 7h
                """);

        WindowEvaluation friday = engine.evaluate(utc("2026-11-27T22:00:00Z"), UpgradeScope.MAJOR);

        assertThat(friday.currentWindow().end()).isEqualTo(utc("2026-11-28T06:00:00Z"));
        assertThat(friday.canStart()).as("7h fit only in the merged 8h window").isTrue();
        assertThat(engine.evaluate(utc("2026-11-27T12:00:00Z"), UpgradeScope.MAJOR).nextWindow().rules())
                .containsExactly("evening", "night", "overlap");
    }

    @Test
    void noWindowLongEnoughWithinTheHorizonIsReportedNotWaitedFor() {
        WindowEvaluation evaluation = engine("""
                timeZone: Europe/Berlin
                windows: [{days: [Mon], startTime: "22:00", duration: 4h}]
                minimumRemaining: 5h
                """).evaluate(utc("2026-11-30T21:30:00Z"), UpgradeScope.MAJOR);

        assertThat(evaluation.inWindow()).isTrue();
        assertThat(evaluation.canStart()).isFalse();
        assertThat(evaluation.reason()).isEqualTo(WindowReason.NoFutureWindow);
        assertThat(evaluation.nextEligibleStart()).isNull();
        assertThat(evaluation.latestStart()).isNull();
        assertThat(evaluation.nextWindow().start()).isEqualTo(utc("2026-12-07T21:00:00Z"));
    }

    @Test
    void aOneOffWindowFarAheadIsFoundAndOneBeyondTheHorizonIsNot() {
        String schedule = """
                timeZone: UTC
                windows: [{between: {start: "2027-10-01T00:00:00Z", end: "2027-10-01T06:00:00Z"}}]
                """;

        WindowEvaluation within = engine(schedule).evaluate(utc("2026-11-26T00:00:00Z"), UpgradeScope.MAJOR);
        WindowEvaluation beyond = engine(schedule).evaluate(utc("2026-08-01T00:00:00Z"), UpgradeScope.MAJOR);

        assertThat(within.nextEligibleStart()).isEqualTo(utc("2027-10-01T00:00:00Z"));
        assertThat(within.nextWindow().rules()).containsExactly("windows[0]");
        assertThat(beyond.reason()).isEqualTo(WindowReason.NoFutureWindow);
        assertThat(beyond.nextWindow()).isNull();
    }

    @Test
    void continuousMaintenanceIsAlwaysOpen() {
        WindowEngine engine = engine("""
                timeZone: UTC
                windows: [{days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun], startTime: "00:00", duration: 24h}]
                minimumRemaining: 1h
                """);

        WindowEvaluation evaluation = engine.evaluate(utc("2026-11-26T12:00:00Z"), UpgradeScope.MAJOR);

        assertThat(evaluation.canStart()).isTrue();
        assertThat(evaluation.nextWindow()).isNull();
        assertThat(evaluation.currentWindow().end()).isAfterOrEqualTo(utc("2026-11-26T12:00:00Z").plus(WindowEngine.HORIZON));
    }

    @Test
    void withoutMaintenanceUpgradesMayStartAtAnyTime() {
        WindowEngine engine = new WindowEngine(MaintenanceSpecParser.parse(null, "spec.maintenance").schedule());
        Instant at = utc("2026-11-26T12:00:00Z");

        WindowEvaluation evaluation = engine.evaluate(at, UpgradeScope.MAJOR);

        assertThat(evaluation.reason()).isEqualTo(WindowReason.NotConfigured);
        assertThat(evaluation.canStart()).isTrue();
        assertThat(evaluation.nextEligibleStart()).isEqualTo(at);
        assertThat(engine.nextBoundaryAfter(at, UpgradeScope.MAJOR)).isEmpty();
        assertThat(engine.upcoming(at, UpgradeScope.MAJOR, 3)).isEmpty();
    }

    @Test
    void nextBoundaryIsTheExactInstantTheAnswerChanges() {
        WindowEngine engine = engine(WEEKNIGHTS + """
                exclusions: [{start: "2026-11-26T12:30:00Z", end: "2026-11-26T13:00:00Z"}]
                """);

        assertThat(engine.nextBoundaryAfter(utc("2026-11-26T12:00:00Z"), UpgradeScope.MAJOR))
                .as("exclusion start").contains(utc("2026-11-26T12:30:00Z"));
        assertThat(engine.nextBoundaryAfter(utc("2026-11-26T12:45:00Z"), UpgradeScope.MAJOR))
                .as("exclusion end").contains(utc("2026-11-26T13:00:00Z"));
        assertThat(engine.nextBoundaryAfter(utc("2026-11-26T13:00:00Z"), UpgradeScope.MAJOR))
                .as("window start").contains(utc("2026-11-26T21:00:00Z"));
        assertThat(engine.nextBoundaryAfter(utc("2026-11-26T21:00:00Z"), UpgradeScope.MAJOR))
                .as("latest start").contains(utc("2026-11-27T00:15:00Z"));
        assertThat(engine.nextBoundaryAfter(utc("2026-11-27T00:15:00Z"), UpgradeScope.MAJOR))
                .as("window end").contains(utc("2026-11-27T01:00:00Z"));
    }

    @Test
    void reportsTheTimeZoneRulesVersionForStatus() {
        assertThat(WindowEngine.tzdbVersion()).matches("\\d{4}[a-z]");
    }

    @Test
    void upcomingListsTheNextWindowsInOrder() {
        assertThat(engine(WEEKNIGHTS).upcoming(utc("2026-11-26T22:00:00Z"), UpgradeScope.MAJOR, 3))
                .extracting(EffectiveWindow::start)
                .containsExactly(utc("2026-11-30T21:00:00Z"), utc("2026-12-01T21:00:00Z"), utc("2026-12-02T21:00:00Z"));
    }
}
