package dev.slipway.core;

/**
 * A value an admin wrote is not acceptable. Names the field by its path in the resource (for example
 * {@code maintenance.windows[0].duration}) and says why, so the operator can put it in an
 * {@code InvalidSpec} condition and the CLI can print it, without a stack trace.
 */
public class InvalidSpecException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidSpecException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
