package dev.slipway.kubernetes.observability;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Gauges derived from every watched ManagedUpgrade's status, refreshed every {@link #REFRESH} from the controller's
 * informer cache (independent of reconciles, so they also reflect status written by anyone): {@code slipway_phase{namespace,name,phase}} (1 for
 * the current phase, 0 for the others), {@code slipway_available_update{namespace,name,version}},
 * {@code slipway_next_window_start_timestamp_seconds{namespace,name}} (+Inf when the windows have no future
 * occurrence, so "no window within N days" is one comparison) and
 * {@code slipway_maintenance_page_since_timestamp_seconds{namespace,name}} (while traffic goes to the maintenance
 * page: since when). A deleted resource's series are removed.
 */
@ApplicationScoped
public class StatusMetrics {

    static final String PHASE = "slipway_phase";
    static final String AVAILABLE_UPDATE = "slipway_available_update";
    static final String NEXT_WINDOW_START = "slipway_next_window_start_timestamp_seconds";
    static final String BEHIND_PAGE_SINCE = "slipway_maintenance_page_since_timestamp_seconds";
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            PHASE, "1 for the phase a ManagedUpgrade is in, 0 for the other phases.",
            AVAILABLE_UPDATE, "1 for each version a ManagedUpgrade's application may be upgraded to.",
            NEXT_WINDOW_START, "Start of the next maintenance window (Unix seconds); +Inf when no window will "
                    + "open again. Absent without maintenance windows.",
            BEHIND_PAGE_SINCE, "Since when (Unix seconds) the application's traffic goes to the maintenance page; "
                    + "absent while it serves its own traffic.");
    private static final String NO_FUTURE_WINDOW = "NoFutureWindow";
    private static final Logger LOG = Logger.getLogger(StatusMetrics.class);

    private record ResourceKey(String namespace, String name) {
    }

    private record Series(String name, Tags tags) {
    }

    /** A registered gauge and the value it reports. */
    private record Published(Gauge gauge, AtomicReference<Double> value) {
    }

    /** How often the gauges are brought up to date: well within any scrape interval. */
    static final Duration REFRESH = Duration.ofSeconds(2);

    private final MeterRegistry registry;
    /** Per resource, its series and their current values; the registered gauges read these holders. */
    private final Map<ResourceKey, Map<Series, Published>> published = new HashMap<>();
    private Supplier<Stream<ManagedUpgrade>> resources = Stream::empty;
    private ScheduledExecutorService refresher;

    public StatusMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Where the ManagedUpgrades are read from: the controller's own informer cache (one informer for the operator,
     * holding every status whoever wrote it).
     */
    public synchronized void readFrom(Supplier<Stream<ManagedUpgrade>> resources) {
        this.resources = resources;
    }

    /** Starts refreshing (once); called where the operator starts, so CLI subcommands run no timer. */
    public synchronized void start() {
        if (refresher != null) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slipway-status-metrics");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    synchronized void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: say it and keep the gauges going.
            LOG.warnf("refreshing the status metrics failed: %s", e.getMessage());
        }
    }

    /** Publishes every resource's series and withdraws those of resources that are gone. */
    synchronized void refresh() {
        Set<ResourceKey> present = new HashSet<>();
        resources.get().forEach(resource -> {
            present.add(key(resource));
            publish(resource);
        });
        Set.copyOf(published.keySet()).stream().filter(key -> !present.contains(key)).forEach(this::withdraw);
    }

    synchronized void publish(ManagedUpgrade resource) {
        ResourceKey key = key(resource);
        Map<Series, Double> wanted = series(key, resource.getStatus());
        Map<Series, Published> current = published.computeIfAbsent(key, k -> new HashMap<>());
        current.entrySet().removeIf(entry -> {
            boolean stale = !wanted.containsKey(entry.getKey());
            if (stale) {
                registry.remove(entry.getValue().gauge());
            }
            return stale;
        });
        wanted.forEach((series, value) -> current.computeIfAbsent(series, this::register).value().set(value));
    }

    synchronized void withdraw(ResourceKey key) {
        Map<Series, Published> removed = published.remove(key);
        if (removed != null) {
            removed.values().forEach(series -> registry.remove(series.gauge()));
        }
    }

    private static Map<Series, Double> series(ResourceKey key, ManagedUpgradeStatus status) {
        Map<Series, Double> series = new HashMap<>();
        Tags resource = Tags.of("namespace", key.namespace(), "name", key.name());
        Phase phase = status == null ? null : status.getPhase();
        for (Phase candidate : Phase.values()) {
            series.put(new Series(PHASE, resource.and("phase", candidate.name())),
                    candidate == phase ? 1.0 : 0.0);
        }
        if (status == null) {
            return series;
        }
        if (status.getAvailableUpdates() != null) {
            status.getAvailableUpdates().forEach(version ->
                    series.put(new Series(AVAILABLE_UPDATE, resource.and("version", version)), 1.0));
        }
        if (status.getMaintenance() != null && status.getMaintenance().nextWindow() != null
                && status.getMaintenance().nextWindow().start() != null) {
            String start = status.getMaintenance().nextWindow().start();
            epochSecond(key, "next window start", start)
                    .ifPresent(value -> series.put(new Series(NEXT_WINDOW_START, resource), value));
        } else if (status.getMaintenance() != null && NO_FUTURE_WINDOW.equals(status.getMaintenance().reason())) {
            series.put(new Series(NEXT_WINDOW_START, resource), Double.POSITIVE_INFINITY);
        }
        behindPageSince(status.getUpgrade()).flatMap(since -> epochSecond(key, "traffic swap start", since))
                .ifPresent(value -> series.put(new Series(BEHIND_PAGE_SINCE, resource), value));
        return series;
    }

    /**
     * When the traffic went to the page, if it is still there: from the SwapTraffic step until RestoreTraffic or a
     * rollback has put the Ingress back; an upgrade held after a failure stays behind the page.
     */
    private static Optional<String> behindPageSince(UpgradeProgress progress) {
        if (progress == null || progress.getSteps() == null || progress.getResult() == UpgradeResult.RolledBack
                || progress.getResult() == UpgradeResult.Abandoned) {
            return Optional.empty();
        }
        boolean restored = progress.getSteps().stream().anyMatch(step -> step.finishedAt() != null
                && (step.step() == UpgradeStep.RestoreTraffic || step.step() == UpgradeStep.RollBack));
        Optional<StepRecord> swap = progress.getSteps().stream().filter(step -> step.step() == UpgradeStep.SwapTraffic)
                .findFirst();
        return swap.isEmpty() || restored ? Optional.empty() : Optional.ofNullable(swap.get().startedAt());
    }

    private static Optional<Double> epochSecond(ResourceKey key, String what, String instant) {
        try {
            return Optional.of((double) Instant.parse(instant).getEpochSecond());
        } catch (DateTimeParseException e) {
            LOG.debugf("%s/%s: %s %s is not an instant", key.namespace(), key.name(), what, instant);
            return Optional.empty();
        }
    }

    private Published register(Series series) {
        AtomicReference<Double> value = new AtomicReference<>(0.0);
        Gauge gauge = Gauge.builder(series.name(), value, AtomicReference::get).tags(series.tags())
                .description(DESCRIPTIONS.get(series.name())).strongReference(true).register(registry);
        return new Published(gauge, value);
    }

    private static ResourceKey key(ManagedUpgrade resource) {
        return new ResourceKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }
}
