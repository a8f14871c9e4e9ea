package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

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

    @JsonPropertyDescription("Replicas the component starts with after a first install; defaults to the workload's "
            + "own count, or 1 when it declares 0.")
    @Min(0)
    private Integer replicas;

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

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
