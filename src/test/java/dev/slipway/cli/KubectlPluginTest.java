package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code plugin/kubectl-slipway} run by /bin/sh, as kubectl runs a plugin found on the PATH, where it
 * must explain what is missing; {@link KubectlPluginIT} runs it on the packaged CLI.
 */
class KubectlPluginTest {

    @TempDir
    Path directory;

    @Test
    void aSlipwayHomeWithoutTheCliIsNamedWithWhatItMustHold() throws Exception {
        PluginLauncher.Run run = run(environment -> environment.put("SLIPWAY_HOME", directory.toString()), "status",
                "shop");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("kubectl-slipway: no Slipway CLI in SLIPWAY_HOME=" + directory
                + ": it must be the quarkus-app directory of a Slipway build (holding quarkus-run.jar)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutJavaItSaysSoInsteadOfFailingObscurely() throws Exception {
        Files.createFile(directory.resolve("quarkus-run.jar"));
        Path emptyPath = Files.createDirectory(directory.resolve("bin"));

        PluginLauncher.Run run = run(environment -> {
            environment.put("SLIPWAY_HOME", directory.toString());
            environment.put("PATH", emptyPath.toString());
            environment.remove("JAVA_HOME");
        }, "status");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("kubectl-slipway: java not found: install a Java runtime 17 or newer, or set JAVA_HOME");
    }

    private PluginLauncher.Run run(Consumer<Map<String, String>> environment, String... arguments) throws IOException,
            InterruptedException {
        return PluginLauncher.run(directory, environment, arguments);
    }
}
