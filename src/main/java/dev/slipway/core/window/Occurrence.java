package dev.slipway.core.window;

import java.time.Instant;

/**
 * One concrete window of one rule, half-open {@code [start, end)}. {@code dstAdjustment} says how DST moved its
 * local start or end away from what the rule reads like, or is null.
 */
record Occurrence(Instant start, Instant end, WindowRule rule, String dstAdjustment) {

    boolean overlaps(Instant from, Instant to) {
        return start.isBefore(to) && end.isAfter(from);
    }
}
