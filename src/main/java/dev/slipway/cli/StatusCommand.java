package dev.slipway.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Where a ManagedUpgrade stands, from the status the operator wrote: current version, phase and"
                + " conditions, target and path, approval, progress of a running upgrade, next window, last failure.",
                "Without NAME, one line for each ManagedUpgrade of the namespace (of every namespace with -A)."})
public class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Name of the ManagedUpgrade (default: all"
            + " of the namespace).")
    String name;

    @Mixin
    ClusterOptions clusterOptions;

    @Option(names = {"-A", "--all-namespaces"}, description = "List the ManagedUpgrades of every namespace, as"
            + " kubectl -A does (needs list on managedupgrades cluster-wide).")
    boolean allNamespaces;

    /** Text by default, as kubectl's own views; JSON for scripts. */
    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    CliOutput.Format format;

    @Spec
    CommandSpec spec;

    @Inject
    Clock clock;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ManagedUpgradeClient cluster = ManagedUpgradeClient.connect(clusterOptions)) {
            if (allNamespaces) {
                if (name != null) {
                    throw new CliInputException("InvalidArgument", "--all-namespaces", "lists every namespace; give"
                            + " no NAME with it, or -n NAMESPACE NAME for one");
                }
                List<StatusView> views = cluster.listAllNamespaces().stream().map(StatusView::of).toList();
                print(out, views, () -> StatusText.table(views, clock.instant(), true));
            } else if (name != null) {
                StatusView view = StatusView.of(cluster.get(name));
                print(out, view, () -> StatusText.render(view, clock.instant()));
            } else {
                List<StatusView> views = cluster.list().stream().map(StatusView::of).toList();
                print(out, views, () -> StatusText.table(views, clock.instant(), false));
            }
            return CliOutput.EXIT_OK;
        } catch (CliInputException e) {
            return CliOutput.error(format, out, err, e.code(), e.field(), e.getMessage());
        } catch (ClusterRefusal e) {
            CliOutput.error(format, out, err, e.code(), null, e.getMessage());
            return e.exitCode();
        }
    }

    private void print(PrintWriter out, Object json, Supplier<String> text) {
        if (format == CliOutput.Format.json) {
            CliOutput.printJson(out, json);
        } else {
            out.println(text.get());
            out.flush();
        }
    }
}
