package dev.slipway.kubernetes.observability;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Counters and histograms of upgrades, for dashboards and alerts. */
@ApplicationScoped
public class UpgradeMetrics {

    private final MeterRegistry registry;

    public UpgradeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void upgradeEnded(String result, Duration duration) {
        registry.counter("slipway_upgrades_total", "result", result).increment();
        DistributionSummary.builder("slipway_upgrade_duration_seconds").baseUnit("seconds")
                .publishPercentileHistogram().register(registry).record(duration.toMillis() / 1000.0);
    }

    public void stepEnded(String step, Duration duration) {
        Timer.builder("slipway_upgrade_step_duration").tag("step", step).publishPercentileHistogram()
                .register(registry).record(duration);
    }
}
