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

    @Test
    void aBusyPortSuggestsAnyFreeOne() throws Exception {
        MaintenancePageCommand command = new MaintenancePageCommand(Map.of());
        command.vertx = io.vertx.core.Vertx.vertx();
        // Nothing listens there: the page starts with its generic notice, as it does while the API server is away.
        command.kubernetes = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build()).build();
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0)) {
            int exit = new CommandLine(command).setErr(new PrintWriter(err, true)).setOut(new PrintWriter(out, true))
                    .execute("--namespace", "crm", "--configmap", "crm-page", "--port", String.valueOf(busy.getLocalPort()));

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).contains("Cannot serve the maintenance page on port " + busy.getLocalPort())
                    .contains("choose a free --port, or --port 0 for any free one");
        } finally {
            command.kubernetes.close();
            command.vertx.close();
        }
    }

    private int run(Map<String, String> environment, String... args) {
        return new CommandLine(new MaintenancePageCommand(environment)).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(out, true)).execute(args);
    }
}
