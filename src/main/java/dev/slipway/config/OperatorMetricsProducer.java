package dev.slipway.config;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's own metrics (reconcile timer, event and reconciliation counters) per controller, not per resource.
 * The Quarkus extension's default registers a timer with a percentile histogram and several counters for every
 * ManagedUpgrade: measured at 1,000 resources that was about 28 MiB of live heap (1,008 timers, 5,014 counters;
 * BENCHMARKS.md, P5 analysis), growing with the fleet. Per-resource state is in Slipway's own status gauges
 * (StatusMetrics), which are cheap.
 */
@ApplicationScoped
public class OperatorMetricsProducer {

    @Produces
    @Singleton
    Metrics operatorMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
