package dev.slipway.cli;

import picocli.CommandLine.Option;

/** The {@code -o/--output json|text} option that every reporting command shares (a picocli mixin). */
public class OutputOption {

    @Option(names = {"-o", "--output"}, defaultValue = "json", description = "json or text (default: ${DEFAULT-VALUE}).")
    CliOutput.Format format;

    CliOutput.Format format() {
        return format;
    }

    boolean text() {
        return format == CliOutput.Format.text;
    }
}
