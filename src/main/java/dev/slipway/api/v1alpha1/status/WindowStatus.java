package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One effective window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WindowStatus {

    @JsonPropertyDescription("Start instant (UTC).")
    private String start;

    @JsonPropertyDescription("End instant (UTC).")
    private String end;

    @JsonPropertyDescription("Start in the configured zone.")
    private String startLocal;

    @JsonPropertyDescription("End in the configured zone.")
    private String endLocal;

    @JsonPropertyDescription("Rule that produced it.")
    private String rule;

    @JsonPropertyDescription("How a DST change shifted it.")
    private String adjustment;

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

    public String getStartLocal() {
        return startLocal;
    }

    public void setStartLocal(String startLocal) {
        this.startLocal = startLocal;
    }

    public String getEndLocal() {
        return endLocal;
    }

    public void setEndLocal(String endLocal) {
        this.endLocal = endLocal;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }

    public String getAdjustment() {
        return adjustment;
    }

    public void setAdjustment(String adjustment) {
        this.adjustment = adjustment;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WindowStatus other)) {
            return false;
        }
        return Objects.equals(start, other.start)
            && Objects.equals(end, other.end)
            && Objects.equals(startLocal, other.startLocal)
            && Objects.equals(endLocal, other.endLocal)
            && Objects.equals(rule, other.rule)
            && Objects.equals(adjustment, other.adjustment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, startLocal, endLocal, rule, adjustment);
    }
}
