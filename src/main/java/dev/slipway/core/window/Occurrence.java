package dev.slipway.core.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One concrete window of one rule, half-open {@code [start, end)}. {@code date} is the local date a recurring
 * occurrence belongs to, null for a one-off.
 */
record Occurrence(Instant start, Instant end, WindowRule rule, LocalDate date) {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    boolean overlaps(Instant from, Instant to) {
        return start.isBefore(to) && end.isAfter(from);
    }

    /**
     * Says how DST moved this occurrence's local start or local end away from what the rule reads like, or null when
     * it did not. The elapsed duration never changes; only the wall clock does.
     */
    String dstAdjustment(ZoneId zone) {
        if (!(rule instanceof WindowRule.Recurring recurring)) {
            return null;
        }
        LocalDateTime plannedStart = date.atTime(recurring.startTime());
        LocalDateTime plannedEnd = plannedStart.plus(recurring.duration());
        LocalDateTime actualStart = LocalDateTime.ofInstant(start, zone);
        LocalDateTime actualEnd = LocalDateTime.ofInstant(end, zone);
        List<String> changes = new ArrayList<>();
        if (!actualStart.equals(plannedStart)) {
            changes.add("starts " + CLOCK.format(actualStart) + " instead of " + CLOCK.format(plannedStart)
                    + " (DST gap)");
        }
        if (!actualEnd.equals(plannedEnd)) {
            changes.add("ends " + CLOCK.format(actualEnd) + " local time instead of " + CLOCK.format(plannedEnd)
                    + " (DST change; the window still lasts " + dev.slipway.core.KubeDuration.format(recurring.duration()) + ")");
        }
        return changes.isEmpty() ? null : rule.name() + " on " + date + " " + String.join(" and ", changes);
    }
}
