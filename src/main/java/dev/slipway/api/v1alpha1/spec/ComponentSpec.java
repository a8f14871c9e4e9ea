package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One workload of the application. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentSpec {

    @JsonPropertyDescription("Component name as used in the feed's images map.")
    @Required
    private String name;

    @JsonPropertyDescription("The Deployment or StatefulSet that runs it.")
    @Required
    private WorkloadRef workload;

    @JsonPropertyDescription("Container whose image is set; defaults to the only or first container.")
    private String container;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public WorkloadRef getWorkload() {
        return workload;
    }

    public void setWorkload(WorkloadRef workload) {
        this.workload = workload;
    }

    public String getContainer() {
        return container;
    }

    public void setContainer(String container) {
        this.container = container;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ComponentSpec other)) {
            return false;
        }
        return Objects.equals(name, other.name)
            && Objects.equals(workload, other.workload)
            && Objects.equals(container, other.container);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, workload, container);
    }
}
