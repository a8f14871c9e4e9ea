package dev.slipway.cli;

import dev.slipway.database.DatabaseException;
import dev.slipway.database.DbConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the database is and how to log in. The password never goes on the command line: it comes from
 * {@code --password-file}, a prompt ({@code -W}, not echoed), or the {@value #PASSWORD_ENV} environment variable, in
 * that order; without any, the driver's own means apply (.pgpass, trust).
 */
public class DatabaseOptions {

    static final String PASSWORD_ENV = "SLIPWAY_DB_PASSWORD";

    @Option(names = "--db-url", required = true, paramLabel = "<jdbc-url>",
            description = "JDBC URL, e.g. jdbc:postgresql://db:5432/app")
    String url;

    @Option(names = "--db-user", paramLabel = "<user>", description = "Database role to log in as.")
    String user;

    @Option(names = "--password-file", paramLabel = "<file>", description = "File holding the password (one line).")
    Path passwordFile;

    @Option(names = {"-W", "--password"}, interactive = true, arity = "0..1",
            description = "Prompt for the password on the terminal (not echoed).")
    char[] promptedPassword;

    /** @throws CliInputException naming the option when the URL, role or password file is unusable */
    DbConnection connection() {
        if ((user == null || user.isBlank()) && !url.contains("user=")) {
            throw new CliInputException("MissingOption", "--db-user", "no database role given: pass --db-user <user>"
                    + " (or user= in --db-url)");
        }
        try {
            return new DbConnection(url, user, password());
        } catch (IllegalArgumentException e) {
            throw new CliInputException("InvalidArgument", "--db-url", e.getMessage());
        }
    }

    /** The error's message, with where a password comes from when the server wanted one and none was given. */
    String describe(DatabaseException e) {
        boolean noPassword = passwordFile == null && promptedPassword == null && System.getenv(PASSWORD_ENV) == null;
        if (noPassword && e.kind() == DatabaseException.Kind.CONNECTION_FAILED && e.getMessage().contains("password")) {
            return e.getMessage() + "; no password was given: use --password-file <file>, -W (prompt) or the"
                    + " environment variable " + PASSWORD_ENV;
        }
        return e.getMessage();
    }

    private String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new CliInputException("InvalidArgument", "--password-file",
                        "cannot read " + passwordFile + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (promptedPassword != null) {
            return new String(promptedPassword);
        }
        return System.getenv(PASSWORD_ENV);
    }
}
