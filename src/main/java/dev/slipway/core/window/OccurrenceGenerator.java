package dev.slipway.core.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Produces, on demand, the occurrences of all rules that overlap an instant range, sorted by start. */
final class OccurrenceGenerator {

    private final ZoneId zone;
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
            for (WindowRule.Recurring rule : recurring) {
                if (rule.dates().matches(date)) {
                    // java.time resolves a gap by moving later by its length and an overlap to the earlier offset.
                    Instant start = ZonedDateTime.of(date, rule.startTime(), zone).toInstant();
                    Occurrence occurrence = new Occurrence(start, start.plus(rule.duration()), rule, date);
                    if (occurrence.overlaps(from, to)) {
                        occurrences.add(occurrence);
                    }
                }
            }
        }
        for (WindowRule.OneOff rule : oneOffs) {
            Occurrence occurrence = new Occurrence(rule.start(), rule.end(), rule, null);
            if (occurrence.overlaps(from, to)) {
                occurrences.add(occurrence);
            }
        }
        occurrences.sort(Comparator.comparing(Occurrence::start));
        return occurrences;
    }
}
