package dev.slipway.core.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Merges overlapping or touching occurrences and subtracts the exclusions that block a scope. A span returned for
 * {@code [from, to)} has its true start whenever that start is after {@code from}, and its true end whenever that end
 * is before {@code to}: every occurrence that could extend it further overlaps the range and so was included.
 */
final class SpanCalculator {

    private final OccurrenceGenerator occurrences;
    private final Map<UpgradeScope, List<Span>> blockingExclusions = new EnumMap<>(UpgradeScope.class);

    SpanCalculator(MaintenanceSchedule schedule) {
        this.occurrences = new OccurrenceGenerator(schedule);
        for (UpgradeScope scope : UpgradeScope.values()) {
            List<Span> blocking = schedule.exclusions().stream()
                    .filter(exclusion -> exclusion.scope().blocks(scope))
                    .sorted(Comparator.comparing(Exclusion::start))
                    .map(exclusion -> new Span(exclusion.start(), exclusion.end(), List.of()))
                    .toList();
            blockingExclusions.put(scope, merge(blocking));
        }
    }

    /** Exclusion periods blocking {@code scope}, merged and sorted. */
    List<Span> blockingExclusions(UpgradeScope scope) {
        return blockingExclusions.get(scope);
    }

    /** Windows before exclusions. */
    List<Span> merged(Instant from, Instant to) {
        List<Occurrence> overlapping = occurrences.overlapping(from, to);
        List<Span> single = new ArrayList<>(overlapping.size());
        for (Occurrence occurrence : overlapping) {
            single.add(new Span(occurrence.start(), occurrence.end(), List.of(occurrence)));
        }
        return merge(single);
    }

    /** Windows of {@code scope} overlapping or touching {@code [from, to)}. */
    List<Span> effective(Instant from, Instant to, UpgradeScope scope) {
        List<Span> effective = new ArrayList<>();
        List<Span> exclusions = blockingExclusions.get(scope);
        for (Span window : merged(from, to)) {
            Instant pieceStart = window.start();
            for (Span exclusion : exclusions) {
                if (!exclusion.end().isAfter(pieceStart) || !exclusion.start().isBefore(window.end())) {
                    continue;
                }
                if (exclusion.start().isAfter(pieceStart)) {
                    effective.add(window.clipped(pieceStart, exclusion.start()));
                }
                pieceStart = exclusion.end();
            }
            if (pieceStart.equals(window.start())) {
                effective.add(window);
            } else if (pieceStart.isBefore(window.end())) {
                effective.add(window.clipped(pieceStart, window.end()));
            }
        }
        return effective;
    }

    /** Joins spans (sorted by start) that overlap or touch; half-open ranges that touch leave no gap between them. */
    private static List<Span> merge(List<Span> sorted) {
        List<Span> merged = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            Instant start = sorted.get(i).start();
            Instant end = sorted.get(i).end();
            List<Occurrence> sources = new ArrayList<>(sorted.get(i).sources());
            for (i++; i < sorted.size() && !sorted.get(i).start().isAfter(end); i++) {
                sources.addAll(sorted.get(i).sources());
                end = sorted.get(i).end().isAfter(end) ? sorted.get(i).end() : end;
            }
            merged.add(new Span(start, end, sources));
        }
        return merged;
    }
}
