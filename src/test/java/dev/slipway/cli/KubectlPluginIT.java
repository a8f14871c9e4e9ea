package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl plugin launching the packaged CLI (target/quarkus-app, which exists only after {@code package}: so this
 * runs in failsafe, after packaging, not among the unit tests).
 */
class KubectlPluginIT {

    private static final Path PACKAGED = Path.of("target/quarkus-app").toAbsolutePath();

    @TempDir
    Path directory;

    @Test
    void thePackagedCliAnswersThroughThePlugin() throws Exception {
        PluginLauncher.Run run = PluginLauncher.run(directory,
                environment -> environment.put("SLIPWAY_HOME", PACKAGED.toString()), "--version");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("slipway ");
    }

    @Test
    void aClusterCommandThroughThePluginNamesTheKubeconfigItCannotRead() throws Exception {
        Path missing = directory.resolve("no-such-kubeconfig");
        PluginLauncher.Run run = PluginLauncher.run(directory,
                environment -> environment.put("SLIPWAY_HOME", PACKAGED.toString()),
                "status", "shop", "--kubeconfig", missing.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("--kubeconfig", "cannot read " + missing).doesNotContain("\tat ");
    }
}
