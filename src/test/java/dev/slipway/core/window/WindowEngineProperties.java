package dev.slipway.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.TimeZone;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Invariants of section 5 over random schedules in zones with DST, half-hour DST and odd offsets. */
class WindowEngineProperties {

    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York",
            "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "America/Havana",
            "Pacific/Chatham", "America/Santiago");
    private static final Instant EARLIEST = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2029-01-01T00:00:00Z");

    @Property(tries = 300)
    void canStartImpliesInWindowAndInWindowMeansTheCurrentWindowHoldsT(@ForAll("schedules") MaintenanceSchedule schedule,
            @ForAll("instants") Instant at, @ForAll UpgradeScope scope) {
        WindowEvaluation evaluation = new WindowEngine(schedule).evaluate(at, scope);

        if (evaluation.canStart()) {
            assertThat(evaluation.inWindow()).isTrue();
            assertThat(evaluation.reason()).isEqualTo(WindowReason.InWindow);
        }
        assertThat(evaluation.inWindow()).isEqualTo(evaluation.currentWindow() != null);
        if (evaluation.inWindow()) {
            assertThat(evaluation.currentWindow().start()).isBeforeOrEqualTo(at);
            assertThat(evaluation.currentWindow().end()).isAfter(at);
        }
    }

    @Property(tries = 300)
    void nextEligibleStartIsNotBeforeTAndAnUpgradeCanStartThere(@ForAll("schedules") MaintenanceSchedule schedule,
            @ForAll("instants") Instant at, @ForAll UpgradeScope scope) {
        WindowEngine engine = new WindowEngine(schedule);
        WindowEvaluation evaluation = engine.evaluate(at, scope);
        if (evaluation.nextEligibleStart() == null) {
            assertThat(evaluation.reason()).isEqualTo(WindowReason.NoFutureWindow);
            return;
        }

        assertThat(evaluation.nextEligibleStart()).isAfterOrEqualTo(at);
        assertThat(evaluation.latestStart()).isAfterOrEqualTo(evaluation.nextEligibleStart());
        assertThat(engine.evaluate(evaluation.nextEligibleStart(), scope).canStart()).isTrue();
        boolean windowEndsWithinHorizon = evaluation.latestStart().plus(schedule.minimumRemaining())
                .isBefore(at.plus(WindowEngine.HORIZON));
        if (!schedule.minimumRemaining().isZero() && windowEndsWithinHorizon) {
            assertThat(engine.evaluate(evaluation.latestStart(), scope).canStart()).isTrue();
            assertThat(engine.evaluate(evaluation.latestStart().plusNanos(1), scope).canStart()).isFalse();
        }
    }

    @Property(tries = 300)
    void theNextWindowStartsAfterTAndIsOpenFromItsFirstInstant(@ForAll("schedules") MaintenanceSchedule schedule,
            @ForAll("instants") Instant at, @ForAll UpgradeScope scope) {
        WindowEngine engine = new WindowEngine(schedule);
        EffectiveWindow next = engine.evaluate(at, scope).nextWindow();
        if (next == null) {
            return;
        }

        assertThat(next.start()).isAfter(at);
        assertThat(engine.evaluate(next.start(), scope).inWindow()).isTrue();
        assertThat(engine.evaluate(next.start().minusNanos(1), scope).currentWindow())
                .satisfiesAnyOf(before -> assertThat(before).isNull(),
                        before -> assertThat(before.end()).isBeforeOrEqualTo(next.start()));
        assertThat(engine.nextBoundaryAfter(at, scope)).hasValueSatisfying(
                boundary -> assertThat(boundary).isAfter(at).isBeforeOrEqualTo(next.start()));
    }

    @Property(tries = 100)
    void resultsDoNotDependOnTheJvmDefaultTimeZone(@ForAll("schedules") MaintenanceSchedule schedule,
            @ForAll("instants") Instant at, @ForAll UpgradeScope scope, @ForAll("zoneIds") String defaultZone) {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            WindowEvaluation inUtc = new WindowEngine(schedule).evaluate(at, scope);
            List<EffectiveWindow> upcomingInUtc = new WindowEngine(schedule).upcoming(at, scope, 3);
            TimeZone.setDefault(TimeZone.getTimeZone(defaultZone));

            assertThat(new WindowEngine(schedule).evaluate(at, scope)).isEqualTo(inUtc);
            assertThat(new WindowEngine(schedule).upcoming(at, scope, 3)).isEqualTo(upcomingInUtc);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Provide
    Arbitrary<String> zoneIds() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(EARLIEST.getEpochSecond(), LATEST.getEpochSecond())
                .map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<MaintenanceSchedule> schedules() {
        Arbitrary<List<WindowRule>> rules = rule().list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<Exclusion>> exclusions = exclusion().list().ofMaxSize(3);
        Arbitrary<Duration> minimumRemaining = Arbitraries.integers().between(0, 10 * 60).map(Duration::ofMinutes);
        return Combinators.combine(zoneIds(), rules, exclusions, minimumRemaining)
                .as((zone, windows, excluded, minimum) -> new MaintenanceSchedule(ZoneId.of(zone), windows, excluded,
                        minimum, OnWindowEnd.CONTINUE));
    }

    private Arbitrary<WindowRule> rule() {
        Arbitrary<DateSelector> weekdays = Arbitraries.of(DayOfWeek.class).set().ofMinSize(1)
                .map(days -> (DateSelector) new DateSelector.Weekdays(days));
        Arbitrary<DateSelector> monthDays = Arbitraries.integers().between(-31, 31).filter(day -> day != 0)
                .set().ofMinSize(1).ofMaxSize(4).map(days -> (DateSelector) new DateSelector.MonthDays(days));
        Arbitrary<LocalTime> startTimes = Arbitraries.integers().between(0, 24 * 60 - 1)
                .map(minute -> LocalTime.of(minute / 60, minute % 60));
        Arbitrary<Duration> durations = Arbitraries.integers().between(30, 168 * 60).map(Duration::ofMinutes)
                .edgeCases(edges -> edges.add(Duration.ofHours(24)));
        Arbitrary<WindowRule> recurring = Combinators.combine(Arbitraries.oneOf(weekdays, monthDays), startTimes, durations)
                .as((dates, start, duration) -> new WindowRule.Recurring("recurring", dates, start, duration));
        Arbitrary<WindowRule> oneOff = Combinators.combine(instants(), Arbitraries.integers().between(1, 60 * 24 * 30))
                .as((start, minutes) -> new WindowRule.OneOff("one-off", start, start.plus(Duration.ofMinutes(minutes))));
        return Arbitraries.frequencyOf(Tuple.of(4, recurring), Tuple.of(1, oneOff));
    }

    private Arbitrary<Exclusion> exclusion() {
        return Combinators.combine(instants(), Arbitraries.integers().between(1, 60 * 24 * 40),
                        Arbitraries.of(ExclusionScope.class))
                .as((start, minutes, scope) -> new Exclusion("exclusion", start, start.plus(Duration.ofMinutes(minutes)), scope));
    }
}
