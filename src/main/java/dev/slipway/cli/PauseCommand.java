package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Pause: sets spec.policy.paused to true. A running upgrade stops before its next step (never"
                + " inside one); no upgrade starts until resume.")
public class PauseCommand extends ManagedUpgradeAction {

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.pause(resource);
    }

    @Override
    String next(StatusView changed, Instant now) {
        String resume = NextSteps.command("resume", changed);
        if (changed.upgradeInProgress()) {
            return "the upgrade to " + changed.progress().to() + " stops before its next step (the one under way, "
                    + changed.progress().label() + ", finishes first); " + resume + " goes on";
        }
        return "no upgrade starts until " + resume;
    }
}
