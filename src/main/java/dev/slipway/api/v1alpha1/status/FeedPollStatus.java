package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last feed poll. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FeedPollStatus {

    @JsonPropertyDescription("When a poll last changed this status (polls that change nothing are not written; the metric slipway_feed_last_success_timestamp_seconds has the latest).")
    private String at;

    @JsonPropertyDescription("Ok, NotModified or Error.")
    private String result;

    @JsonPropertyDescription("ETag of the catalog in use.")
    private String etag;

    @JsonPropertyDescription("Why the poll failed.")
    private String message;

    @JsonPropertyDescription("generatedAt of the newest feed accepted; with a publicKey, an older feed is refused as a replay, also after a restart.")
    private String generatedAt;

    public String getAt() {
        return at;
    }

    public void setAt(String at) {
        this.at = at;
    }

    public String getResult() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }

    public String getEtag() {
        return etag;
    }

    public void setEtag(String etag) {
        this.etag = etag;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getGeneratedAt() {
        return generatedAt;
    }

    public void setGeneratedAt(String generatedAt) {
        this.generatedAt = generatedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FeedPollStatus other)) {
            return false;
        }
        return Objects.equals(at, other.at)
            && Objects.equals(result, other.result)
            && Objects.equals(etag, other.etag)
            && Objects.equals(message, other.message)
            && Objects.equals(generatedAt, other.generatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, result, etag, message, generatedAt);
    }
}
