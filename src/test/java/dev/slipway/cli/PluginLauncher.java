package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs {@code plugin/kubectl-slipway} with /bin/sh, as kubectl runs a plugin it found on the PATH. */
final class PluginLauncher {

    private static final Path LAUNCHER = Path.of("plugin/kubectl-slipway").toAbsolutePath();

    record Run(int exitCode, String out, String err) {
    }

    private PluginLauncher() {
    }

    /** Runs the launcher with the environment changed as given; its output is kept in {@code directory}. */
    static Run run(Path directory, Consumer<Map<String, String>> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(directory.resolve("out").toFile())
                .redirectError(directory.resolve("err").toFile());
        environment.accept(builder.environment());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(process.exitValue(), Files.readString(directory.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(directory.resolve("err"), StandardCharsets.UTF_8));
    }
}
