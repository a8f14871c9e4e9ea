package dev.slipway.http.page;

import dev.slipway.api.page.PageStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A status held in memory: for tests, and for running the page next to its writer in one process. */
public final class InMemoryPageStatusSource implements PageStatusSource {

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Optional<String> marker;
    private volatile Optional<PageStatus> status = Optional.empty();

    public InMemoryPageStatusSource() {
        this(null);
    }

    /** @param marker whose page this is ({@link PageStatus#marker}), or null to send no marker */
    public InMemoryPageStatusSource(String marker) {
        this.marker = Optional.ofNullable(marker);
    }

    public void set(PageStatus newStatus) {
        update(Optional.of(newStatus));
    }

    public void clear() {
        update(Optional.empty());
    }

    private void update(Optional<PageStatus> newStatus) {
        status = newStatus;
        listeners.forEach(Runnable::run);
    }

    @Override
    public Optional<PageStatus> current() {
        return status;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<String> marker() {
        return marker;
    }
}
