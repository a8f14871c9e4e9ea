package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Which upgrades are allowed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicySpec {

    @JsonPropertyDescription("Automatic upgrades start in the next window; Manual ones wait for approvedVersion.")
    @Default("Automatic")
    private Approval approval;

    @JsonPropertyDescription("Largest change allowed relative to the current version.")
    @Default("Minor")
    private AllowedChange allow;

    @JsonPropertyDescription("Pin the target to this exact version.")
    private String version;

    @JsonPropertyDescription("With Manual approval, the upgrade starts only when this equals the planned target.")
    private String approvedVersion;

    @JsonPropertyDescription("Optional: status.plan.hash of the plan that was approved; the upgrade starts only while "
            + "the plan is still that one (the console and `slipway approve` set it, so a feed change after approval "
            + "needs a new approval).")
    private String approvedPlanHash;

    @JsonPropertyDescription("Ignore releases published more recently than this.")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String minReleaseAge;

    @JsonPropertyDescription("Stop before the next step (an upgrade in progress) or before starting one.")
    private Boolean paused;

    @JsonPropertyDescription("Allowed: a hop whose release declares backward-compatible migrations runs without the "
            + "maintenance page (expand, rolling update, soak, contract). Never: every hop runs behind the page.")
    @Default("Allowed")
    private ZeroDowntime zeroDowntime;

    public Approval getApproval() {
        return approval;
    }

    public void setApproval(Approval approval) {
        this.approval = approval;
    }

    public AllowedChange getAllow() {
        return allow;
    }

    public void setAllow(AllowedChange allow) {
        this.allow = allow;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getApprovedVersion() {
        return approvedVersion;
    }

    public void setApprovedVersion(String approvedVersion) {
        this.approvedVersion = approvedVersion;
    }

    public String getApprovedPlanHash() {
        return approvedPlanHash;
    }

    public void setApprovedPlanHash(String approvedPlanHash) {
        this.approvedPlanHash = approvedPlanHash;
    }

    public String getMinReleaseAge() {
        return minReleaseAge;
    }

    public void setMinReleaseAge(String minReleaseAge) {
        this.minReleaseAge = minReleaseAge;
    }

    public Boolean getPaused() {
        return paused;
    }

    public void setPaused(Boolean paused) {
        this.paused = paused;
    }

    public ZeroDowntime getZeroDowntime() {
        return zeroDowntime;
    }

    public void setZeroDowntime(ZeroDowntime zeroDowntime) {
        this.zeroDowntime = zeroDowntime;
    }
}
