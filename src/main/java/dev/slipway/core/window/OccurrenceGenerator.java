package dev.slipway.core.window;

import dev.slipway.core.KubeDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Produces, on demand, the occurrences of all rules that overlap an instant range, sorted by start. */
final class OccurrenceGenerator {

    private static final Comparator<Occurrence> BY_START = Comparator.comparing(Occurrence::start);

    /** About three years of dates: enough to keep a requeue loop or a 10,000-instant batch from recomputing. */
    private static final int CACHED_DATES = 1200;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private final ZoneId zone;
    /** Occurrences by the local date they belong to, memoised because the same dates are visited again and again. */
    private final Map<LocalDate, List<Occurrence>> byDate = new ConcurrentHashMap<>();
    private final List<WindowRule.Recurring> recurring = new ArrayList<>();
    private final List<WindowRule.OneOff> oneOffs = new ArrayList<>();
    private final Duration longestRecurring;

    OccurrenceGenerator(MaintenanceSchedule schedule) {
        this.zone = schedule.zone();
        for (WindowRule rule : schedule.windows()) {
            if (rule instanceof WindowRule.Recurring r) {
                recurring.add(r);
            } else {
                oneOffs.add((WindowRule.OneOff) rule);
            }
        }
        longestRecurring = recurring.stream().map(WindowRule.Recurring::duration)
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    /**
     * Occurrences overlapping {@code [from, to)}, each with its full extent. A recurring occurrence of date d starts on
     * local date d, or d + 1 when a DST gap pushes it past midnight, so the dates to visit run from one day before the
     * local date of {@code from - longest duration} to the local date of {@code to}.
     */
    List<Occurrence> overlapping(Instant from, Instant to) {
        List<Occurrence> occurrences = new ArrayList<>();
        LocalDate first = LocalDate.ofInstant(from.minus(longestRecurring), zone).minusDays(1);
        LocalDate last = LocalDate.ofInstant(to, zone);
        for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
            for (Occurrence occurrence : byDate.computeIfAbsent(date, this::occurrencesOn)) {
                if (occurrence.overlaps(from, to)) {
                    occurrences.add(occurrence);
                }
            }
        }
        for (WindowRule.OneOff rule : oneOffs) {
            Occurrence occurrence = new Occurrence(rule.start(), rule.end(), rule, null);
            if (occurrence.overlaps(from, to)) {
                occurrences.add(occurrence);
            }
        }
        occurrences.sort(BY_START);
        if (byDate.size() > CACHED_DATES) {
            byDate.clear();
        }
        return occurrences;
    }

    private List<Occurrence> occurrencesOn(LocalDate date) {
        List<Occurrence> occurrences = new ArrayList<>(1);
        for (WindowRule.Recurring rule : recurring) {
            if (rule.dates().matches(date)) {
                // java.time resolves a gap by moving later by its length and an overlap to the earlier offset.
                ZonedDateTime start = ZonedDateTime.of(date, rule.startTime(), zone);
                Instant end = start.toInstant().plus(rule.duration());
                occurrences.add(new Occurrence(start.toInstant(), end, rule, dstAdjustment(rule, date, start, end)));
            }
        }
        return occurrences.isEmpty() ? List.of() : List.copyOf(occurrences);
    }

    /**
     * The elapsed duration never changes, only the wall clock: the local start moves when it falls in a gap, and the
     * local end moves whenever the offset at the end differs from the offset at the start.
     */
    private String dstAdjustment(WindowRule.Recurring rule, LocalDate date, ZonedDateTime start, Instant end) {
        ZonedDateTime endInZone = end.atZone(zone);
        boolean startMoved = !start.toLocalTime().equals(rule.startTime());
        if (!startMoved && endInZone.getOffset().equals(start.getOffset())) {
            return null;
        }
        LocalDateTime plannedStart = date.atTime(rule.startTime());
        LocalDateTime plannedEnd = plannedStart.plus(rule.duration());
        List<String> changes = new ArrayList<>();
        if (startMoved) {
            changes.add("starts " + CLOCK.format(start) + " instead of " + CLOCK.format(plannedStart) + " (DST gap)");
        }
        if (!endInZone.toLocalDateTime().equals(plannedEnd)) {
            changes.add("ends " + CLOCK.format(endInZone) + " local time instead of " + CLOCK.format(plannedEnd)
                    + " (DST change; the window still lasts " + KubeDuration.format(rule.duration()) + ")");
        }
        return rule.name() + " on " + date + " " + String.join(" and ", changes);
    }
}
