package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Replica count of a workload before quiescing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaRecord {

    @JsonPropertyDescription("Component name.")
    private String component;

    @JsonPropertyDescription("Replicas before quiescing.")
    private Integer replicas;

    @JsonPropertyDescription("Container image before the upgrade.")
    private String image;

    public String getComponent() {
        return component;
    }

    public void setComponent(String component) {
        this.component = component;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ReplicaRecord other)) {
            return false;
        }
        return Objects.equals(component, other.component)
            && Objects.equals(replicas, other.replicas)
            && Objects.equals(image, other.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(component, replicas, image);
    }
}
