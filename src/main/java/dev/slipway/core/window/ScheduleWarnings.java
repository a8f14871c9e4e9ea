package dev.slipway.core.window;

import dev.slipway.core.KubeDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Warnings about a valid schedule that admins rarely intend: recurring windows that chain into continuous
 * maintenance (for example seven daily 24h windows), and a {@code minimumRemaining} longer than any window, which
 * would make every upgrade wait forever. The parser has no clock, so recurring windows are examined over a fixed
 * 400-day reference period (starting in a leap year, to include Feb 29); one-off windows over their own span.
 */
final class ScheduleWarnings {

    private static final LocalDate REFERENCE_START = LocalDate.of(2024, 1, 1);
    private static final Duration REFERENCE_LENGTH = Duration.ofDays(400);
    private static final Duration CONTINUOUS = Duration.ofDays(7);

    private ScheduleWarnings() {
    }

    static List<String> of(MaintenanceSchedule schedule, String windowsPath, String minimumRemainingPath) {
        SpanCalculator windows = new SpanCalculator(schedule);
        Instant referenceStart = REFERENCE_START.atStartOfDay(schedule.zone()).toInstant();
        List<Span> merged = new ArrayList<>(windows.merged(referenceStart, referenceStart.plus(REFERENCE_LENGTH)));
        for (WindowRule rule : schedule.windows()) {
            if (rule instanceof WindowRule.OneOff oneOff) {
                merged.addAll(windows.merged(oneOff.start(), oneOff.end()));
            }
        }
        List<String> warnings = new ArrayList<>();
        boolean continuous = merged.stream().anyMatch(span -> span.sources().stream().filter(
                source -> source.rule() instanceof WindowRule.Recurring).count() > 1 && length(span).compareTo(CONTINUOUS) >= 0);
        if (continuous) {
            warnings.add(windowsPath + ": occurrences overlap or touch and merge into continuous maintenance"
                    + " lasting a week or more, so upgrades may start at almost any time");
        }
        Duration longest = merged.stream().map(ScheduleWarnings::length).max(Duration::compareTo).orElse(Duration.ZERO);
        if (schedule.minimumRemaining().compareTo(longest) > 0) {
            warnings.add(minimumRemainingPath + ": " + KubeDuration.format(schedule.minimumRemaining())
                    + " is longer than any window (the longest lasts " + KubeDuration.format(longest)
                    + "), so no upgrade could start; status will say NoFutureWindow");
        }
        return warnings;
    }

    private static Duration length(Span span) {
        return Duration.between(span.start(), span.end());
    }
}
