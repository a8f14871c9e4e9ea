package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `operator` through the real entry point with no cluster behind the configured API server. */
@QuarkusMainTest
@TestProfile(OperatorWithoutClusterMainTest.ClosedApiServerPort.class)
class OperatorWithoutClusterMainTest {

    /** Points the Kubernetes client at a loopback port that nothing listens on. */
    public static class ClosedApiServerPort implements QuarkusTestProfile {
        static final String API_SERVER = "https://127.0.0.1:" + closedPort() + "/";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.kubernetes-client.api-server-url", API_SERVER,
                    "quarkus.log.category.\"io.micrometer.core.instrument.MeterRegistry\".level", "ERROR");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    @Launch(value = "operator", exitCode = 2)
    void failsWithOneLineNamingTheApiServerAndNoStackTrace(LaunchResult result) {
        assertThat(result.getErrorOutput())
                .contains("error: cannot reach the Kubernetes API at " + ClosedApiServerPort.API_SERVER)
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(result.getErrorOutput().lines().filter(line -> line.startsWith("error:"))).hasSize(1);
    }
}
