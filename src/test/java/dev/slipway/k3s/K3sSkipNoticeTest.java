package dev.slipway.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
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
    void onThisMachineTheEndToEndTestIsReportedSkippedWithTheNotice() {
        Optional<String> reason = DockerAvailability.unavailableReason();
        assumeTrue(reason.isPresent(), "Docker answers here: the end-to-end test runs instead of skipping");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> skipped = new ArrayList<>();
        List<TestExecutionResult> executed = new ArrayList<>();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(K3sUpgradeEndToEndTest.class)).build(), new TestExecutionListener() {
                        @Override
                        public void executionSkipped(TestIdentifier test, String why) {
                            skipped.add(why);
                        }

                        @Override
                        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                            if (test.isTest()) {
                                executed.add(result);
                            }
                        }
                    });
        } finally {
            System.setErr(originalErr);
        }

        String notice = "k3s end-to-end test SKIPPED: no Docker engine (" + reason.get() + ")";
        assertThat(skipped).containsExactly(notice);
        assertThat(executed).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(notice);
    }
}
