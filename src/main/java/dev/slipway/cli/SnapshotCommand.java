package dev.slipway.cli;

import dev.slipway.database.DatabaseException;
import dev.slipway.database.DatabaseVerifier;
import dev.slipway.database.DbConnection;
import dev.slipway.database.PgSchemaReader;
import dev.slipway.database.SnapshotJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Print the canonical schema snapshot of a database (the expected-schema format vendors publish).",
                "Standard output is the snapshot only; errors are one line on standard error (exit 2)."})
public class SnapshotCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--schema", paramLabel = "<name>", defaultValue = "public",
            description = "Schema to describe; repeat for several (default: ${DEFAULT-VALUE}).")
    List<String> schemas;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DbConnection connection = database.connection();
            List<String> missing = DatabaseVerifier.missingSchemas(connection, schemas);
            if (!missing.isEmpty()) {
                throw new CliInputException("UnknownSchema", "--schema", "no schema named " + String.join(", ", missing)
                        + " in the database");
            }
            out.print(SnapshotJson.write(PgSchemaReader.read(connection, schemas)));
            out.flush();
            return CliOutput.EXIT_OK;
        } catch (CliInputException e) {
            return CliOutput.error(CliOutput.Format.text, out, err, e.code(), e.field(), e.getMessage());
        } catch (DatabaseException e) {
            return CliOutput.error(CliOutput.Format.text, out, err, e.code(), null, database.describe(e));
        }
    }
}
