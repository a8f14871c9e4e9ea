package dev.slipway.http.page;

import dev.slipway.api.page.PageStatus;
import java.util.Optional;

/** Where the maintenance page learns the upgrade's status; it pushes changes so open pages update live. */
public interface PageStatusSource {

    /** The latest status, or empty while none (or none readable) is known. */
    Optional<PageStatus> current();

    /** Runs {@code listener} after every change of {@link #current()}, on any thread. */
    void onChange(Runnable listener);

    /** Whose page this is ({@link PageStatus#marker}), sent in {@link PageStatus#MARKER_HEADER}; empty: not sent. */
    default Optional<String> marker() {
        return Optional.empty();
    }
}
