package dev.slipway.releaseapi;

/**
 * The feed could not be used. The message names the release and field (for a malformed feed) or the transport
 * problem, and never carries header values or credentials.
 */
public class FeedException extends Exception {

    /** What went wrong, as a stable code for conditions, metrics and CLI output. */
    public enum Kind {
        /** The feed answered but its content is not a valid catalog. */
        InvalidFeed,
        /** A release's version is not SemVer. */
        InvalidVersion,
        /** The server answered with an unexpected HTTP status. */
        HttpStatus,
        /** No answer in time. */
        Timeout,
        /** The server could not be reached. */
        Unreachable,
        /** The TLS handshake failed (unknown CA, wrong host name). */
        Tls,
        /** The response is larger than the configured limit. */
        TooLarge,
        /** A downloaded artifact does not match its published sha256 or is unsafe. */
        IntegrityMismatch,
        /** The feed's signature is missing or does not verify, or the feed is older than one already accepted. */
        Untrusted
    }

    private final Kind kind;

    public FeedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public FeedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
