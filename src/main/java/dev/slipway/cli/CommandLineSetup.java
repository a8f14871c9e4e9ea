package dev.slipway.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The shared command-line setup: every command answers {@code -h}/{@code --help} (and {@code slipway help <command>})
 * with its usage and exit code 0, and every exception that reaches the user is one line on standard error and exit
 * code 2, never a stack trace.
 */
@ApplicationScoped
public class CommandLineSetup {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return configure(factory.create());
    }

    static CommandLine configure(CommandLine commandLine) {
        commandLine.addSubcommand("help", new CommandLine.HelpCommand());
        addMissingHelpOptions(commandLine);
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((exception, failed, parseResult) -> {
                    failed.getErr().println("error: " + CliOutput.describe(exception));
                    return CliOutput.EXIT_USAGE;
                });
    }

    /**
     * Picocli leaves out the whole standard help mixin of a command that has its own {@code --version} option (plan,
     * verify), so {@code --help} there failed on the missing required options; such commands get {@code -h, --help}
     * here. Help requests skip the validation of required options and never call the command.
     */
    private static void addMissingHelpOptions(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        commandLine.getSubcommands().values().forEach(CommandLineSetup::addMissingHelpOptions);
    }
}
