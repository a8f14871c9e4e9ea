package dev.slipway.kubernetes.upgrade;

import dev.slipway.core.upgrade.UpgradeFailure;
import java.time.Duration;

/** What one attempt at a step achieved. */
sealed interface StepResult {

    /** The step is complete; move on. */
    record Done() implements StepResult {
    }

    /** The step made progress that must be checkpointed before it goes on (for example, recorded replicas). */
    record Checkpoint() implements StepResult {
    }

    /** The step waits for the world (a pod becoming Ready); look again after {@code after}. */
    record Wait(Duration after, String why) implements StepResult {
    }

    /** The step failed for a typed reason. */
    record Fail(UpgradeFailure reason, String message) implements StepResult {
    }

    static StepResult done() {
        return new Done();
    }

    static StepResult waitFor(String why) {
        return new Wait(Duration.ofSeconds(2), why);
    }

    static StepResult fail(UpgradeFailure reason, String message) {
        return new Fail(reason, message);
    }
}
