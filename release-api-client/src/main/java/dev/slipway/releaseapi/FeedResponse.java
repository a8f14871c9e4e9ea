package dev.slipway.releaseapi;

/** Outcome of a conditional feed request. */
public sealed interface FeedResponse {

    /** The feed changed (or was fetched for the first time) and parsed cleanly. */
    record Fetched(ReleaseCatalog catalog, String etag) implements FeedResponse {
    }

    /** The server answered 304, or a file's content is unchanged: nothing was parsed. */
    record NotModified() implements FeedResponse {
    }
}
