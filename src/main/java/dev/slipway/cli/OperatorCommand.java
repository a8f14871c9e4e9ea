package dev.slipway.cli;

import dev.slipway.kubernetes.observability.StatusMetrics;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the controller: watch ManagedUpgrade resources and upgrade their applications "
                + "(the container's default command).")
public class OperatorCommand implements Callable<Integer> {

    @Inject
    Operator operator;

    @Inject
    StatusMetrics statusMetrics;

    @Override
    public Integer call() {
        operator.start();
        statusMetrics.start();
        Quarkus.waitForExit();
        return 0;
    }
}
