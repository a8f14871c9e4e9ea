package dev.slipway.core.window;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A validated {@code maintenance} object. An unconfigured schedule (no {@code maintenance} at all) has no window
 * rules and means "upgrades may start at any time"; a configured one always has at least one rule because
 * {@code windows: []} is rejected.
 */
public record MaintenanceSchedule(ZoneId zone, List<WindowRule> windows, List<Exclusion> exclusions,
        Duration minimumRemaining, OnWindowEnd onWindowEnd) {

    private static final MaintenanceSchedule NOT_CONFIGURED =
            new MaintenanceSchedule(ZoneOffset.UTC, List.of(), List.of(), Duration.ZERO, OnWindowEnd.CONTINUE);

    public MaintenanceSchedule {
        windows = List.copyOf(windows);
        exclusions = List.copyOf(exclusions);
    }

    public static MaintenanceSchedule notConfigured() {
        return NOT_CONFIGURED;
    }

    public boolean configured() {
        return !windows.isEmpty();
    }
}
