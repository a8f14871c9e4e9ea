package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Administrator actions already acted on, so each is acted on once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HandledActions {

    @JsonPropertyDescription("Last spec.actions.retry acted on.")
    private String retry;

    @JsonPropertyDescription("Last spec.actions.abandon acted on.")
    private String abandon;

    @JsonPropertyDescription("Last spec.actions.startNow acted on.")
    private String startNow;

    public String getRetry() {
        return retry;
    }

    public void setRetry(String retry) {
        this.retry = retry;
    }

    public String getAbandon() {
        return abandon;
    }

    public void setAbandon(String abandon) {
        this.abandon = abandon;
    }

    public String getStartNow() {
        return startNow;
    }

    public void setStartNow(String startNow) {
        this.startNow = startNow;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HandledActions other)) {
            return false;
        }
        return Objects.equals(retry, other.retry)
            && Objects.equals(abandon, other.abandon)
            && Objects.equals(startNow, other.startNow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(retry, abandon, startNow);
    }
}
