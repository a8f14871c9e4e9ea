package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve the upgrade a ManagedUpgrade with Manual approval plans: sets spec.policy.approvedVersion"
                + " to the planned target (status.targetVersion).",
                "Refused when VERSION is not the planned target or the approval is not Manual."})
public class ApproveCommand extends ManagedUpgradeAction {

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION",
            description = "The version to approve; it must be the planned target (default: the planned target).")
    String version;

    @Override
    void checkArguments() {
        Versions.requireSemVer(version, "VERSION");
    }

    @Override
    void check(StatusView view) {
        if (!view.approval().manual()) {
            throw refuse("NotManualApproval", view.name() + " upgrades without approval (spec.policy.approval: "
                    + view.approval().mode() + "), so there is nothing to approve; to approve each upgrade, set"
                    + " spec.policy.approval: Manual in the resource (or in Git)");
        }
        if (view.targetVersion() == null) {
            throw refuse("NothingPlanned", "no upgrade is planned (phase " + view.phase() + ")" + staleness(view));
        }
        if (version != null && !StatusView.sameVersion(version, view.targetVersion())) {
            throw refuse("NotPlanned", version + " is not the planned target " + view.targetVersion() + "; approve "
                    + view.targetVersion() + ", or choose " + version + " with slipway select-version" + staleness(view));
        }
    }

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.approve(resource, view.targetVersion(),
                AdminChanges.planHashLeadingTo(resource, view.targetVersion()));
    }

    @Override
    String next(StatusView changed, Instant now) {
        return NextSteps.plannedStart(changed, now);
    }

    private static String staleness(StatusView view) {
        return view.statusBehindSpec() ? " (the operator has not planned the latest spec change yet: the status is of"
                + " generation " + view.observedGeneration() + ", the spec at " + view.generation() + "; try again"
                + " shortly)" : "";
    }
}
