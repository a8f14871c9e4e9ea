package dev.slipway.kubernetes.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Counters and histograms of upgrades, for dashboards and alerts. Upgrades take minutes to hours, so their
 * histograms have a few explicit buckets at those scales rather than Micrometer's default percentile buckets (about
 * seventy per series, nearly all below a second).
 */
@ApplicationScoped
public class UpgradeMetrics {

    static final String UPGRADES = "slipway_upgrades_total";
    static final String UPGRADE_DURATION = "slipway_upgrade_duration_seconds";
    static final String STEP_DURATION = "slipway_upgrade_step_duration";
    /** 30s, 1m, 2m, 5m, 10m, 20m, 30m, 1h, 2h. */
    static final double[] UPGRADE_BUCKETS_SECONDS = {30, 60, 120, 300, 600, 1200, 1800, 3600, 7200};
    /** 1s, 5s, 15s, 30s, 1m, 2m, 5m, 10m, 30m: one step of an upgrade. */
    static final Duration[] STEP_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30)};

    private final MeterRegistry registry;

    public UpgradeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An upgrade of the application {@code namespace/name} ended with {@code result} after {@code duration}. */
    public void upgradeEnded(String namespace, String name, String result, Duration duration) {
        Counter.builder(UPGRADES).description("Upgrades that ended, by application and result "
                        + "(Succeeded, RolledBack, Abandoned; one held behind the page shows in slipway_phase).")
                .tags("namespace", namespace, "name", name, "result", result).register(registry).increment();
        DistributionSummary.builder(UPGRADE_DURATION).baseUnit("seconds")
                .description("How long upgrades took from start to end, by application and result.")
                .tags("namespace", namespace, "name", name, "result", result)
                .serviceLevelObjectives(UPGRADE_BUCKETS_SECONDS).register(registry)
                .record(duration.toMillis() / 1000.0);
    }

    public void stepEnded(String step, Duration duration) {
        Timer.builder(STEP_DURATION).description("How long each step of an upgrade took (Migrate: one hop).")
                .tag("step", step).serviceLevelObjectives(STEP_BUCKETS).register(registry).record(duration);
    }
}
