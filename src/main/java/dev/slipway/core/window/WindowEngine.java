package dev.slipway.core.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRulesProvider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Answers "may an upgrade start now, and if not, when?" for a {@link MaintenanceSchedule} (issue 3, section 5).
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li><b>Occurrences, lazily.</b> Nothing is precomputed per day. For an instant range {@code [from, to)} the
 *       {@link OccurrenceGenerator} visits only the local dates whose occurrences can overlap it and creates each start
 *       with {@code ZonedDateTime.of(date, startTime, zone)} (gap: later by the gap; overlap: the earlier offset), the
 *       end being start + duration of elapsed time.</li>
 *   <li><b>Merge, then subtract.</b> The {@link SpanCalculator} merges overlapping or touching occurrences of all
 *       rules and cuts out the exclusions that block the asked scope. A resulting span is exact except where it
 *       touches the edge of the range, because anything extending it would overlap the range.</li>
 *   <li><b>Search outwards.</b> Around {@code at} the engine first looks one day back and eight days ahead, which
 *       covers ordinary weekly schedules in one pass. If the window containing {@code at} reaches the back edge, the
 *       look-back doubles; if the answer is not yet known (next window, first window long enough for
 *       {@code minimumRemaining}, or the wanted count) or the last window reaches the front edge, the look-ahead doubles.
 *       Both stop at the 400-day horizon, so continuous maintenance ends its windows at the horizon and a schedule
 *       whose windows are all too short reports {@link WindowReason#NoFutureWindow} instead of waiting silently.</li>
 *   <li><b>Decide.</b> {@code canStart} = inside a window and end − at ≥ minimumRemaining (equality passes);
 *       otherwise the next eligible start is the start of the first later window at least minimumRemaining long.</li>
 * </ol>
 * All computation is in the schedule's zone; nothing reads the JVM default zone or the clock.
 */
public final class WindowEngine {

    /** How far ahead (and back, for the start of a window already open) the engine looks. */
    public static final Duration HORIZON = Duration.ofDays(400);
    private static final Duration FIRST_LOOK_BACK = Duration.ofDays(1);
    private static final Duration FIRST_LOOK_AHEAD = Duration.ofDays(8);

    private final MaintenanceSchedule schedule;
    private final SpanCalculator spans;

    public WindowEngine(MaintenanceSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.spans = new SpanCalculator(schedule);
    }

    /** The version of the time zone rules the JVM uses, for {@code status.maintenance.tzdbVersion}. */
    public static String tzdbVersion() {
        return ZoneRulesProvider.getVersions("UTC").lastKey();
    }

    public WindowEvaluation evaluate(Instant at, UpgradeScope scope) {
        if (!schedule.configured()) {
            return WindowEvaluation.notConfigured(at);
        }
        Duration minimum = schedule.minimumRemaining();
        List<Span> ahead = search(at, scope, found -> firstStartingAfter(found, at) != null
                && firstEligible(found, at, minimum) != null);
        Span current = !ahead.isEmpty() && ahead.get(0).contains(at) ? ahead.get(0) : null;
        Span next = firstStartingAfter(ahead, at);
        Span eligible = firstEligible(ahead, at, minimum);
        boolean canStart = eligible != null && eligible == current;
        Instant nextEligibleStart = eligible == null ? null : canStart ? at : eligible.start();
        Instant latestStart = eligible == null ? null : eligible.end().minus(minimum);
        return new WindowEvaluation(at, current != null, canStart, reason(at, scope, current, eligible, canStart),
                toWindow(current), toWindow(next), nextEligibleStart, latestStart);
    }

    /**
     * The first instant after {@code at} at which {@link #evaluate} can answer differently: the current window's end,
     * the latest start, the next window's start or an edge of an exclusion blocking {@code scope}. Empty when nothing
     * within the horizon changes the answer (not configured, or no window at all ahead).
     */
    public Optional<Instant> nextBoundaryAfter(Instant at, UpgradeScope scope) {
        WindowEvaluation now = evaluate(at, scope);
        Stream<Instant> windowEdges = Stream.of(
                now.currentWindow() == null ? null : now.currentWindow().end(),
                now.latestStart(),
                now.nextWindow() == null ? null : now.nextWindow().start());
        Stream<Instant> exclusionEdges = spans.blockingExclusions(scope).stream()
                .flatMap(exclusion -> Stream.of(exclusion.start(), exclusion.end()));
        return Stream.concat(windowEdges, exclusionEdges)
                .filter(edge -> edge != null && edge.isAfter(at))
                .min(Instant::compareTo);
    }

    /** The first {@code count} windows starting after {@code at} within the horizon, for reports. */
    public List<EffectiveWindow> upcoming(Instant at, UpgradeScope scope, int count) {
        if (!schedule.configured()) {
            return List.of();
        }
        return search(at, scope, found -> startingAfter(found, at).count() >= count).stream()
                .filter(span -> span.start().isAfter(at))
                .limit(count)
                .map(this::toWindow)
                .toList();
    }

    private WindowReason reason(Instant at, UpgradeScope scope, Span current, Span eligible, boolean canStart) {
        if (canStart) {
            return WindowReason.InWindow;
        }
        if (eligible == null) {
            return WindowReason.NoFutureWindow;
        }
        if (current != null) {
            return WindowReason.InsufficientRemainingWindow;
        }
        boolean excluded = spans.blockingExclusions(scope).stream().anyMatch(exclusion -> exclusion.contains(at));
        return excluded ? WindowReason.Excluded : WindowReason.OutsideWindow;
    }

    /**
     * Effective windows that end after {@code at}, in order, with exact extents, widening the range until
     * {@code enough} holds for them or the horizon is reached.
     */
    private List<Span> search(Instant at, UpgradeScope scope, Predicate<List<Span>> enough) {
        Instant floor = at.minus(HORIZON);
        Instant ceiling = at.plus(HORIZON);
        Duration lookBack = FIRST_LOOK_BACK;
        Duration lookAhead = FIRST_LOOK_AHEAD;
        while (true) {
            Instant from = latest(floor, at.minus(lookBack));
            Instant to = earliest(ceiling, at.plus(lookAhead));
            List<Span> found = endingAfter(spans.effective(from, to, scope), at);
            if (!found.isEmpty() && !found.get(0).start().isAfter(from) && from.isAfter(floor)) {
                lookBack = lookBack.multipliedBy(2);
                continue;
            }
            boolean lastIsCut = !found.isEmpty() && !found.get(found.size() - 1).end().isBefore(to) && to.isBefore(ceiling);
            List<Span> exact = lastIsCut ? found.subList(0, found.size() - 1) : found;
            if (enough.test(exact) || !to.isBefore(ceiling)) {
                return exact;
            }
            lookAhead = lookAhead.multipliedBy(2);
        }
    }

    private static List<Span> endingAfter(List<Span> all, Instant at) {
        int first = 0;
        while (first < all.size() && !all.get(first).end().isAfter(at)) {
            first++;
        }
        return all.subList(first, all.size());
    }

    private static Span firstStartingAfter(List<Span> found, Instant at) {
        for (Span span : found) {
            if (span.start().isAfter(at)) {
                return span;
            }
        }
        return null;
    }

    private static Stream<Span> startingAfter(List<Span> found, Instant at) {
        return found.stream().filter(span -> span.start().isAfter(at));
    }

    /** The window in which an upgrade may start soonest: the current one if enough of it remains, else a later one. */
    private static Span firstEligible(List<Span> found, Instant at, Duration minimum) {
        for (Span span : found) {
            Instant earliestStart = latest(span.start(), at);
            if (Duration.between(earliestStart, span.end()).compareTo(minimum) >= 0) {
                return span;
            }
        }
        return null;
    }

    private EffectiveWindow toWindow(Span span) {
        if (span == null) {
            return null;
        }
        ZoneId zone = schedule.zone();
        Set<String> rules = new LinkedHashSet<>();
        Set<String> adjustments = new LinkedHashSet<>();
        for (Occurrence source : span.sources()) {
            rules.add(source.rule().name());
            if (source.dstAdjustment() != null) {
                adjustments.add(source.dstAdjustment());
            }
        }
        return new EffectiveWindow(span.start(), span.end(), LocalDateTime.ofInstant(span.start(), zone),
                LocalDateTime.ofInstant(span.end(), zone), new ArrayList<>(rules),
                adjustments.isEmpty() ? null : String.join("; ", adjustments));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
