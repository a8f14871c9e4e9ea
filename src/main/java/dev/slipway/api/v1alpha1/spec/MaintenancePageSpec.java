package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The maintenance page that visitors see while the application is upgraded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenancePageSpec {

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
