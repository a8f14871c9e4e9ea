package dev.slipway.cli;

import dev.slipway.kubernetes.OperatorLifecycle;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the controller: watch ManagedUpgrade resources and upgrade their applications "
                + "(the container's default command).")
public class OperatorCommand implements Callable<Integer> {

    @Inject
    OperatorLifecycle operator;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        stopOnSigterm();
        try {
            operator.start();
        } catch (OperatorLifecycle.ApiServerUnreachable e) {
            return CliOutput.error(CliOutput.Format.text, null, spec.commandLine().getErr(), "Connection", null,
                    e.getMessage());
        }
        Quarkus.waitForExit();
        return 0;
    }

    /**
     * SIGTERM is how Kubernetes stops a pod: a requested stop, so exit code 0 once the application has stopped.
     * The JVM's own handler would run the shutdown inside its shutdown hooks and exit with 143.
     */
    private static void stopOnSigterm() {
        Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
    }
}
