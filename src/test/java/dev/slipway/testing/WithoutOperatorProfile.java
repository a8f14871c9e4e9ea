package dev.slipway.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A Quarkus application of its own in which the injected Operator is never started: statuses a test writes stay as
 * written (no reconciler rewrites them), and the operator's readiness is observed before any start.
 */
public class WithoutOperatorProfile implements QuarkusTestProfile {
}
