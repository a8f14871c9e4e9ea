package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A step of an upgrade. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepRecord {

    @JsonPropertyDescription("Step name.")
    private String name;

    @JsonPropertyDescription("When it started.")
    private String startedAt;

    @JsonPropertyDescription("When it finished.")
    private String finishedAt;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StepRecord other)) {
            return false;
        }
        return Objects.equals(name, other.name)
            && Objects.equals(startedAt, other.startedAt)
            && Objects.equals(finishedAt, other.finishedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, startedAt, finishedAt);
    }
}
