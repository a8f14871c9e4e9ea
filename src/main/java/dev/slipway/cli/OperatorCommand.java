package dev.slipway.cli;

import dev.slipway.kubernetes.OperatorLifecycle;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the controller: watch ManagedUpgrade resources and upgrade their applications "
                + "(the container's default command).")
public class OperatorCommand implements Callable<Integer> {

    @Inject
    OperatorLifecycle operator;

    @Override
    public Integer call() {
        operator.start();
        Quarkus.waitForExit();
        return 0;
    }
}
