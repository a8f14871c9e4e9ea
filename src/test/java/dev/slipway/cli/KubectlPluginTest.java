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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher {@code plugin/kubectl-slipway} run by /bin/sh, as kubectl runs a plugin found on the PATH. */
class KubectlPluginTest {

    private static final Path LAUNCHER = Path.of("plugin/kubectl-slipway").toAbsolutePath();
    private static final Path PACKAGED = Path.of("target/quarkus-app").toAbsolutePath();

    @TempDir
    Path directory;

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void aSlipwayHomeWithoutTheCliIsNamedWithWhatItMustHold() throws Exception {
        Run run = run(environment -> environment.put("SLIPWAY_HOME", directory.toString()), "status", "shop");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("kubectl-slipway: no Slipway CLI in SLIPWAY_HOME=" + directory
                + ": it must be the quarkus-app directory of a Slipway build (holding quarkus-run.jar)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutJavaItSaysSoInsteadOfFailingObscurely() throws Exception {
        Files.createFile(directory.resolve("quarkus-run.jar"));
        Path emptyPath = Files.createDirectory(directory.resolve("bin"));

        Run run = run(environment -> {
            environment.put("SLIPWAY_HOME", directory.toString());
            environment.put("PATH", emptyPath.toString());
            environment.remove("JAVA_HOME");
        }, "status");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("kubectl-slipway: java not found: install a Java runtime 17 or newer, or set JAVA_HOME");
    }

    @Test
    void thePackagedCliAnswersThroughThePlugin() throws Exception {
        Assumptions.assumeTrue(Files.exists(PACKAGED.resolve("quarkus-run.jar")),
                "needs the packaged application (./mvnw package)");

        Run run = run(environment -> environment.put("SLIPWAY_HOME", PACKAGED.toString()), "--version");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("slipway ");
    }

    private Run run(Consumer<Map<String, String>> environment, String... arguments) throws IOException,
            InterruptedException {
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
