package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Database verification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseStatus {

    @JsonPropertyDescription("When verified.")
    private String verifiedAt;

    @JsonPropertyDescription("Flyway schema version found.")
    private String schemaVersion;

    @JsonPropertyDescription("First findings.")
    private List<DriftFindingStatus> findings;

    @JsonPropertyDescription("Total number of findings.")
    private Integer findingCount;

    @JsonPropertyDescription("Whether a finding blocks upgrades.")
    private Boolean blocking;

    public String getVerifiedAt() {
        return verifiedAt;
    }

    public void setVerifiedAt(String verifiedAt) {
        this.verifiedAt = verifiedAt;
    }

    public String getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(String schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    public List<DriftFindingStatus> getFindings() {
        return findings;
    }

    public void setFindings(List<DriftFindingStatus> findings) {
        this.findings = findings;
    }

    public Integer getFindingCount() {
        return findingCount;
    }

    public void setFindingCount(Integer findingCount) {
        this.findingCount = findingCount;
    }

    public Boolean getBlocking() {
        return blocking;
    }

    public void setBlocking(Boolean blocking) {
        this.blocking = blocking;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatabaseStatus other)) {
            return false;
        }
        return Objects.equals(verifiedAt, other.verifiedAt)
            && Objects.equals(schemaVersion, other.schemaVersion)
            && Objects.equals(findings, other.findings)
            && Objects.equals(findingCount, other.findingCount)
            && Objects.equals(blocking, other.blocking);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verifiedAt, schemaVersion, findings, findingCount, blocking);
    }
}
