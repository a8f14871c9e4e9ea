package dev.slipway.k3s;

import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class when no Docker engine answers, before Quarkus boots or containers start, and says so on standard
 * error (a skipped end-to-end test must be visible, never silent). The same reason is the JUnit skip reason.
 */
public class RequiresDocker implements ExecutionCondition {

    private final Supplier<Optional<String>> detection;
    private final PrintStream notices;

    public RequiresDocker() {
        this(DockerAvailability::unavailableReason, System.err);
    }

    RequiresDocker(Supplier<Optional<String>> detection, PrintStream notices) {
        this.detection = detection;
        this.notices = notices;
    }

    static String notice(String reason) {
        return "k3s end-to-end test SKIPPED: no Docker engine (" + reason + ")";
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = detection.get();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("a Docker engine answers");
        }
        String notice = notice(reason.get());
        notices.println(notice);
        return ConditionEvaluationResult.disabled(notice);
    }
}
