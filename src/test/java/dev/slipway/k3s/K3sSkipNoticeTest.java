package dev.slipway.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

/** Without Docker the k3s end-to-end test is skipped visibly: a notice on standard error and a JUnit skip reason. */
class K3sSkipNoticeTest {

    @Test
    void withoutDockerTheConditionSkipsAndPrintsTheNoticeWithTheReason() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RequiresDocker condition = new RequiresDocker(() -> Optional.of("DOCKER_HOST is not set"),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        ConditionEvaluationResult result = condition.evaluateExecutionCondition(null);

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("k3s end-to-end test SKIPPED: no Docker engine (DOCKER_HOST is not set)");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("k3s end-to-end test SKIPPED: no Docker engine (DOCKER_HOST is not set)" + System.lineSeparator());
    }

    @Test
    void withDockerTheConditionLetsTheTestRunSilently() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RequiresDocker condition = new RequiresDocker(Optional::empty, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(condition.evaluateExecutionCondition(null).isDisabled()).isFalse();
        assertThat(err.size()).isZero();
    }

    @Test
    void theDetectionAgreesWithTestcontainers() {
        assertThat(DockerAvailability.unavailableReason().isEmpty())
                .isEqualTo(DockerClientFactory.instance().isDockerAvailable());
    }

    @Test
    void theEndToEndTestIsGuardedByTheCondition() {
        assertThat(K3sUpgradeEndToEndTest.class.getAnnotation(ExtendWith.class).value()).contains(RequiresDocker.class);
    }

    /**
     * The condition as JUnit instantiates it, on this machine. (Running the end-to-end class through a nested JUnit
     * launcher would prove the same, but a second launcher in the JVM disturbs the running Quarkus test applications.)
     */
    @Test
    void onThisMachineTheEndToEndTestIsSkippedWithTheNoticeOnStandardError() {
        Optional<String> reason = DockerAvailability.unavailableReason();
        assumeTrue(reason.isPresent(), "Docker answers here: the end-to-end test runs instead of skipping");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConditionEvaluationResult result;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            result = new RequiresDocker().evaluateExecutionCondition(null);
        } finally {
            System.setErr(originalErr);
        }

        String notice = "k3s end-to-end test SKIPPED: no Docker engine (" + reason.get() + ")";
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue(notice);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(notice);
    }
}
