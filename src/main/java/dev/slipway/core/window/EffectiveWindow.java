package dev.slipway.core.window;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A window in which upgrades of the asked scope may start, after merging and exclusions: {@code [start, end)}.
 * {@code startLocal}/{@code endLocal} are wall-clock times in the schedule's zone; {@code rules} names the entries it
 * is made of; {@code adjustment} says how DST moved its local start or end, or is null.
 */
public record EffectiveWindow(Instant start, Instant end, LocalDateTime startLocal, LocalDateTime endLocal,
        List<String> rules, String adjustment) {

    public EffectiveWindow {
        rules = List.copyOf(rules);
    }
}
