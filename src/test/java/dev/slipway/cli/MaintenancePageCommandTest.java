package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What an operator of the Deployment sees when its configuration is incomplete: one line, exit code 2. */
class MaintenancePageCommandTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    @Test
    void withoutANamespaceItSaysWhereToGiveOne() {
        int exit = run(Map.of(MaintenancePageCommand.CONFIG_MAP_ENV, "crm-page"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("maintenance-page: no namespace: pass --namespace or set "
                + "SLIPWAY_PAGE_NAMESPACE or POD_NAMESPACE" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutAConfigMapItSaysWhereToGiveOne() {
        int exit = run(Map.of(MaintenancePageCommand.POD_NAMESPACE_ENV, "crm"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("maintenance-page: no ConfigMap: pass --configmap or set "
                + "SLIPWAY_PAGE_CONFIGMAP");
    }

    @Test
    void anImpossiblePortIsRefusedBeforeAnythingStarts() {
        int exit = run(Map.of(), "--namespace", "crm", "--configmap", "crm-page", "--port", "70000");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be between 0 and 65535, not 70000");
    }

    private int run(Map<String, String> environment, String... args) {
        return new CommandLine(new MaintenancePageCommand(environment)).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(out, true)).execute(args);
    }
}
