package dev.slipway.core.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;

/** One entry of {@code maintenance.windows}; the effective windows are the union of all entries. */
public sealed interface WindowRule {

    /** The entry's {@code name}, or its position such as {@code windows[1]} when it has none. */
    String name();

    /** Every local date the selector accepts opens a window at {@code startTime} lasting {@code duration} of elapsed time. */
    record Recurring(String name, DateSelector dates, LocalTime startTime, Duration duration) implements WindowRule {
    }

    /** A {@code between} entry: one window, half-open. */
    record OneOff(String name, Instant start, Instant end) implements WindowRule {
    }
}
