package dev.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;

/**
 * What every subcommand prints: the result alone on standard output (JSON or text), errors as a JSON object or one
 * line, and the exit codes the README documents.
 */
public final class CliOutput {

    public static final int EXIT_OK = 0;
    /** The command ran and found something that needs attention (findings, pending migrations). */
    public static final int EXIT_FINDINGS = 1;
    /** Bad input, usage errors, unreachable servers. */
    public static final int EXIT_USAGE = 2;

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** Output formats every subcommand offers. */
    public enum Format {
        json, text
    }

    private CliOutput() {
    }

    public static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("result cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Prints an error: in JSON mode {@code {"error": {"code", "field"?, "message"}}} on standard output (so a script
     * piping to jq sees it), in text mode one line on standard error. Returns {@link #EXIT_USAGE}.
     */
    public static int error(Format format, PrintWriter out, PrintWriter err, String code, String field, String message) {
        if (format == Format.json) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode error = root.putObject("error");
            error.put("code", code);
            if (field != null) {
                error.put("field", field);
            }
            error.put("message", message);
            printJson(out, root);
        } else {
            err.println("error: " + (field == null ? "" : field + ": ") + message);
            err.flush();
        }
        return EXIT_USAGE;
    }

    /** A message for an unexpected exception: its own message, else its type, and never a stack trace. */
    static String describe(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
