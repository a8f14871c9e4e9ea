package dev.slipway.cli;

/** An option's value cannot be used; printed through {@link CliOutput#error} with exit code 2. */
final class CliInputException extends RuntimeException {

    private final String code;
    private final String field;

    CliInputException(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }
}
