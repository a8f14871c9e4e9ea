package dev.slipway.core.window;

import java.time.Instant;

/**
 * A period in which upgrades of the blocked scopes may not start, already resolved to instants: local dates
 * {@code startDate..endDate} become {@code [startOfDay(startDate), startOfDay(endDate + 1))} in the schedule's zone.
 */
public record Exclusion(String name, Instant start, Instant end, ExclusionScope scope) {
}
