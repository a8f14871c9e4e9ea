package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The application's workloads and entry point. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplicationSpec {

    @JsonPropertyDescription("The installed version, used when it cannot be discovered from the running images; "
            + "'none' when the application has never been installed (a first install into an empty database).")
    private String installedVersion;

    @JsonPropertyDescription("Workloads whose images the releases set.")
    @Required
    @Size(min = 1)
    private List<ComponentSpec> components;

    @JsonPropertyDescription("The Ingress that routes users to the application.")
    @Required
    private IngressRef ingress;

    @JsonPropertyDescription("Optional HTTP health check after the rollout.")
    private HealthCheckSpec healthCheck;

    @JsonPropertyDescription("Registry rewrites that admission applies to the application's images (a mirror), so "
            + "the installed version is still discovered from the running images. A digest that admission adds to a "
            + "tag (repo:tag@sha256:...) needs no entry.")
    private List<ImageRewriteSpec> imageRewrite;

    @JsonPropertyDescription("Upgrade even though a HorizontalPodAutoscaler targets a component (default false: "
            + "preflight refuses, since an autoscaler scales the application back up during the migration).")
    private Boolean allowAutoscalers;

    public String getInstalledVersion() {
        return installedVersion;
    }

    public void setInstalledVersion(String installedVersion) {
        this.installedVersion = installedVersion;
    }

    public List<ComponentSpec> getComponents() {
        return components;
    }

    public void setComponents(List<ComponentSpec> components) {
        this.components = components;
    }

    public IngressRef getIngress() {
        return ingress;
    }

    public void setIngress(IngressRef ingress) {
        this.ingress = ingress;
    }

    public HealthCheckSpec getHealthCheck() {
        return healthCheck;
    }

    public void setHealthCheck(HealthCheckSpec healthCheck) {
        this.healthCheck = healthCheck;
    }

    public List<ImageRewriteSpec> getImageRewrite() {
        return imageRewrite;
    }

    public void setImageRewrite(List<ImageRewriteSpec> imageRewrite) {
        this.imageRewrite = imageRewrite;
    }

    public Boolean getAllowAutoscalers() {
        return allowAutoscalers;
    }

    public void setAllowAutoscalers(Boolean allowAutoscalers) {
        this.allowAutoscalers = allowAutoscalers;
    }
}
