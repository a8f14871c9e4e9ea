package dev.slipway.core.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Detects recurring windows that chain into continuous maintenance, which admins rarely intend (for example seven
 * daily 24h windows). The parser has no clock, so it looks at a fixed 400-day reference period (starting on a leap
 * year, to include Feb 29) and warns when occurrences merge into a window of a week or more.
 */
final class ContinuousMaintenance {

    private static final LocalDate REFERENCE_START = LocalDate.of(2024, 1, 1);
    private static final Duration REFERENCE_LENGTH = Duration.ofDays(400);
    private static final Duration CONTINUOUS = Duration.ofDays(7);

    private ContinuousMaintenance() {
    }

    static Optional<String> warning(MaintenanceSchedule schedule, String windowsPath) {
        MaintenanceSchedule recurringOnly = new MaintenanceSchedule(schedule.zone(),
                schedule.windows().stream().filter(WindowRule.Recurring.class::isInstance).toList(),
                List.of(), Duration.ZERO, schedule.onWindowEnd());
        Instant from = REFERENCE_START.atStartOfDay(schedule.zone()).toInstant();
        boolean continuous = new SpanCalculator(recurringOnly).merged(from, from.plus(REFERENCE_LENGTH)).stream()
                .anyMatch(span -> span.sources().size() > 1
                        && Duration.between(span.start(), span.end()).compareTo(CONTINUOUS) >= 0);
        return continuous
                ? Optional.of(windowsPath + ": occurrences overlap or touch and merge into continuous maintenance"
                        + " lasting a week or more, so upgrades may start at almost any time")
                : Optional.empty();
    }
}
