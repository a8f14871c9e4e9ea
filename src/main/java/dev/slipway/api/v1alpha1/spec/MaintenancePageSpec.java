package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * The maintenance page: how its pods run in the application's namespace, and how traffic is checked onto it and
 * drained off it. Every field is optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenancePageSpec {

    @JsonPropertyDescription("Image of the page server (default: the operator's own image, chart value page.image).")
    private String image;

    @JsonPropertyDescription("Names of Secrets in the application's namespace holding registry credentials for the "
            + "page's image, as a pod's imagePullSecrets.")
    private List<String> imagePullSecrets;

    @JsonPropertyDescription("Requests and limits of the page container (cpu, memory, ephemeral-storage); a key "
            + "not given keeps its default (requests cpu 50m, memory 144Mi; limit memory 192Mi, at least 160Mi).")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Node labels the page's pods must run on, as a pod's nodeSelector.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the page's pods, as in a pod spec.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("PriorityClass of the page's pods.")
    private String priorityClassName;

    @JsonPropertyDescription("Page pods while the page is up (default 2); from 2 on, a PodDisruptionBudget lets a "
            + "voluntary disruption such as a node drain take only one at a time.")
    @Default("2")
    @Min(1)
    private Integer replicas;

    @JsonPropertyDescription("Type of the page's Service (default ClusterIP); NodePort for Ingress controllers that "
            + "route to node ports.")
    @Default("ClusterIP")
    private MaintenancePageServiceType serviceType;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<String> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public MaintenancePageServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(MaintenancePageServiceType serviceType) {
        this.serviceType = serviceType;
    }


    @JsonPropertyDescription("A URL through which visitors reach the application (e.g. its public URL). When set, after "
            + "the Ingress is swapped Slipway waits until a GET of it returns this resource's maintenance page (response "
            + "header X-Slipway-Page) before it stops the application.")
    @Pattern("^https?://.+")
    private String verifyUrl;

    @JsonPropertyDescription("How long to wait for verifyUrl to return the maintenance page; then the upgrade fails "
            + "(PageNotPropagated) and is rolled back before anything was stopped.")
    @Default("2m")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String verifyTimeout;

    @JsonPropertyDescription("How long the page keeps running after the Ingress is restored, while ingress controllers "
            + "and load balancers still route to it, before it is scaled down.")
    @Default("30s")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String drainAfterRestore;

    public String getVerifyUrl() {
        return verifyUrl;
    }

    public void setVerifyUrl(String verifyUrl) {
        this.verifyUrl = verifyUrl;
    }

    public String getVerifyTimeout() {
        return verifyTimeout;
    }

    public void setVerifyTimeout(String verifyTimeout) {
        this.verifyTimeout = verifyTimeout;
    }

    public String getDrainAfterRestore() {
        return drainAfterRestore;
    }

    public void setDrainAfterRestore(String drainAfterRestore) {
        this.drainAfterRestore = drainAfterRestore;
    }
}
