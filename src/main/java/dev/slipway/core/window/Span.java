package dev.slipway.core.window;

import java.time.Instant;
import java.util.List;

/** A merged (and possibly exclusion-clipped) window with the occurrences it is made of. Internal to the engine. */
record Span(Instant start, Instant end, List<Occurrence> sources) {

    boolean contains(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }

    Span clipped(Instant from, Instant to) {
        return new Span(from, to, sources.stream().filter(source -> source.overlaps(from, to)).toList());
    }
}
