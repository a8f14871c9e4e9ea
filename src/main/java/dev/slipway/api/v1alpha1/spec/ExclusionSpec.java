package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** A period in which upgrades may not start: either both dates or both instants. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExclusionSpec {

    @JsonPropertyDescription("Name shown in status.")
    private String name;

    @JsonPropertyDescription("First excluded local date (YYYY-MM-DD), inclusive.")
    private String startDate;

    @JsonPropertyDescription("Last excluded local date (YYYY-MM-DD), inclusive.")
    private String endDate;

    @JsonPropertyDescription("Start instant (RFC 3339, offset required).")
    private String start;

    @JsonPropertyDescription("End instant (RFC 3339, offset required), exclusive.")
    private String end;

    @JsonPropertyDescription("Which upgrades the exclusion blocks.")
    @Default("All")
    private ExclusionScope scope;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getStartDate() {
        return startDate;
    }

    public void setStartDate(String startDate) {
        this.startDate = startDate;
    }

    public String getEndDate() {
        return endDate;
    }

    public void setEndDate(String endDate) {
        this.endDate = endDate;
    }

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

    public ExclusionScope getScope() {
        return scope;
    }

    public void setScope(ExclusionScope scope) {
        this.scope = scope;
    }
}
