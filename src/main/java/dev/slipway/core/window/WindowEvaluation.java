package dev.slipway.core.window;

import java.time.Instant;

/**
 * The answer at one instant (issue 3, section 5). Nullable: {@code currentWindow} (not in a window),
 * {@code nextWindow} (none starts after {@code at} within 400 days), {@code nextEligibleStart} and
 * {@code latestStart} (no window can satisfy {@code minimumRemaining}; also {@code latestStart} when not configured).
 *
 * @param nextEligibleStart the earliest instant at or after {@code at} at which an upgrade may start
 * @param latestStart       the last instant of that window at which an upgrade may still start
 */
public record WindowEvaluation(Instant at, boolean inWindow, boolean canStart, WindowReason reason,
        EffectiveWindow currentWindow, EffectiveWindow nextWindow, Instant nextEligibleStart, Instant latestStart) {

    static WindowEvaluation notConfigured(Instant at) {
        return new WindowEvaluation(at, true, true, WindowReason.NotConfigured, null, null, at, null);
    }
}
