package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume after pause: removes spec.policy.paused. A paused upgrade goes on with its next step; a"
                + " planned one starts as approval and the maintenance windows allow.")
public class ResumeCommand extends ManagedUpgradeAction {

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.resume(resource);
    }

    @Override
    String next(StatusView changed, Instant now) {
        if (changed.upgradeInProgress()) {
            return "the upgrade to " + changed.progress().to() + " goes on with " + changed.progress().label();
        }
        String start = NextSteps.plannedStart(changed, now);
        return start != null ? start : "no upgrade is planned (phase " + changed.phase() + ")";
    }
}
