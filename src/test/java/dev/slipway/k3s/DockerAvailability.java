package dev.slipway.k3s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers here, and if not, why not: the reason a Docker-only test prints when it skips. */
public final class DockerAvailability {

    private DockerAvailability() {
    }

    /** Empty when a Docker engine answers; otherwise the reason, in words. */
    public static Optional<String> unavailableReason() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if ((dockerHost == null || dockerHost.isBlank()) && !Files.exists(Path.of("/var/run/docker.sock"))
                && !Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))) {
            return Optional.of("DOCKER_HOST is not set and there is no /var/run/docker.sock");
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? Optional.empty()
                    : Optional.of("Testcontainers found no working Docker environment (DOCKER_HOST="
                            + (dockerHost == null ? "unset" : dockerHost) + ")");
        } catch (RuntimeException e) {
            return Optional.of("Testcontainers could not reach Docker: " + e.getMessage());
        }
    }
}
