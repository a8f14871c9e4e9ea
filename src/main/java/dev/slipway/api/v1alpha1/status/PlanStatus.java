package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The planned path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStatus {

    @JsonPropertyDescription("Target version.")
    private String target;

    @JsonPropertyDescription("Hops in order.")
    private List<PlanStepStatus> steps;

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public List<PlanStepStatus> getSteps() {
        return steps;
    }

    public void setSteps(List<PlanStepStatus> steps) {
        this.steps = steps;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PlanStatus other)) {
            return false;
        }
        return Objects.equals(target, other.target)
            && Objects.equals(steps, other.steps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, steps);
    }
}
