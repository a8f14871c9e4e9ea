package dev.slipway.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(name = "slipway", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hands-off, safe upgrades for PostgreSQL-backed applications on Kubernetes.",
        subcommands = {OperatorCommand.class, PlanCommand.class, WindowsCommand.class, MaintenancePageCommand.class,
                SnapshotCommand.class, DriftCommand.class, VerifyCommand.class, MigrateCommand.class, DemoCommand.class,
                StatusCommand.class, ApproveCommand.class, SelectVersionCommand.class, StartNowCommand.class,
                PauseCommand.class, ResumeCommand.class, RetryCommand.class, AbandonCommand.class,
                RestoreCommand.class})
public class SlipwayCommand {
}
