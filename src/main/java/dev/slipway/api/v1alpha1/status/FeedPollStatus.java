package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Outcome of the last poll of the Release API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedPollStatus(
        @JsonPropertyDescription("When a poll last changed this status (polls that change nothing are not written; the metric slipway_feed_last_success_timestamp_seconds has the latest).") String at,
        @JsonPropertyDescription("Ok, NotModified or Error.") String result,
        @JsonPropertyDescription("ETag of the catalog in use.") String etag,
        @JsonPropertyDescription("Why the poll failed.") String message,
        @JsonPropertyDescription("generatedAt of the newest feed accepted; with a publicKey, an older feed is refused as a replay, also after a restart.") String generatedAt) {
}
