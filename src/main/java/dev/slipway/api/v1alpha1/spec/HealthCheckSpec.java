package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** HTTP check that must answer 2xx after the rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheckSpec {

    @JsonPropertyDescription("URL to GET.")
    @Required
    @Pattern("^https?://.+")
    private String url;

    @JsonPropertyDescription("How long to wait for a healthy answer.")
    @Default("5m")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String timeout;

    @JsonPropertyDescription("After a zero-downtime rollout, how long the new version serves (health check passing) "
            + "before the contract migrations run.")
    @Default("5m")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String soak;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getSoak() {
        return soak;
    }

    public void setSoak(String soak) {
        this.soak = soak;
    }
}
