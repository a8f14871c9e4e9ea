package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One hop of the plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStepStatus {

    @JsonPropertyDescription("Version of the hop.")
    private String version;

    @JsonPropertyDescription("Target, RequiredStop or MinUpgradeFrom.")
    private String reason;

    @JsonPropertyDescription("Flyway version the hop migrates to.")
    private String schemaVersion;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(String schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PlanStepStatus other)) {
            return false;
        }
        return Objects.equals(version, other.version)
            && Objects.equals(reason, other.reason)
            && Objects.equals(schemaVersion, other.schemaVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, reason, schemaVersion);
    }
}
