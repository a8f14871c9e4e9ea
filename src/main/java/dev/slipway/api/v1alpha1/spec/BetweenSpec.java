package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A one-off window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BetweenSpec {

    @JsonPropertyDescription("RFC 3339 instant with offset.")
    @Required
    private String start;

    @JsonPropertyDescription("RFC 3339 instant with offset.")
    @Required
    private String end;

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getEnd() {
        return end;
    }

    public void setEnd(String end) {
        this.end = end;
    }
}
