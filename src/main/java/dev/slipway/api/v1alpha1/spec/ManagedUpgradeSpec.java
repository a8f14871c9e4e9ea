package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Desired state of one managed application: where releases come from, which upgrades are allowed, when, and what to upgrade. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedUpgradeSpec {

    @JsonPropertyDescription("Product name as the vendor's Release API knows it.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$")
    private String product;

    @JsonPropertyDescription("Where releases come from.")
    @Required
    private ReleaseSourceSpec releaseSource;

    @JsonPropertyDescription("Which upgrades are allowed and how they are approved.")
    private PolicySpec policy;

    @JsonPropertyDescription("When upgrades may start. Omit to allow any time.")
    private MaintenanceSpec maintenance;

    @JsonPropertyDescription("The application's workloads, Ingress and health check.")
    @Required
    private ApplicationSpec application;

    @JsonPropertyDescription("The application's PostgreSQL database.")
    private DatabaseSpec database;

    @JsonPropertyDescription("The maintenance page: how its pods and Service run in the application's namespace, how "
            + "Slipway checks that visitors reach it and how long it outlives the upgrade.")
    private MaintenancePageSpec maintenancePage;

    @JsonPropertyDescription("One-off instructions from an administrator to a running or failed upgrade.")
    private ActionsSpec actions;

    public String getProduct() {
        return product;
    }

    public void setProduct(String product) {
        this.product = product;
    }

    public ReleaseSourceSpec getReleaseSource() {
        return releaseSource;
    }

    public void setReleaseSource(ReleaseSourceSpec releaseSource) {
        this.releaseSource = releaseSource;
    }

    public PolicySpec getPolicy() {
        return policy;
    }

    public void setPolicy(PolicySpec policy) {
        this.policy = policy;
    }

    public MaintenanceSpec getMaintenance() {
        return maintenance;
    }

    public void setMaintenance(MaintenanceSpec maintenance) {
        this.maintenance = maintenance;
    }

    public ApplicationSpec getApplication() {
        return application;
    }

    public void setApplication(ApplicationSpec application) {
        this.application = application;
    }

    public DatabaseSpec getDatabase() {
        return database;
    }

    public void setDatabase(DatabaseSpec database) {
        this.database = database;
    }

    public MaintenancePageSpec getMaintenancePage() {
        return maintenancePage;
    }

    public void setMaintenancePage(MaintenancePageSpec maintenancePage) {
        this.maintenancePage = maintenancePage;
    }

    public ActionsSpec getActions() {
        return actions;
    }

    public void setActions(ActionsSpec actions) {
        this.actions = actions;
    }
}
