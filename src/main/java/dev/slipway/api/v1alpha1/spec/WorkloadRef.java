package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A workload in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {

    @JsonPropertyDescription("Deployment or StatefulSet.")
    @Default("Deployment")
    private WorkloadKind kind;

    @JsonPropertyDescription("Name of the workload.")
    @Required
    private String name;

    public WorkloadKind getKind() {
        return kind;
    }

    public void setKind(WorkloadKind kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
