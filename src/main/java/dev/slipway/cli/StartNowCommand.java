package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(name = "start-now", mixinStandardHelpOptions = true,
        description = {"Start the planned upgrade now, outside the maintenance window: sets spec.actions.startNow to a"
                + " new value (the time and the user), recorded as an override.",
                "Approval and pause still apply. Refused when no upgrade is planned or one is already under way, where"
                        + " the value would wait and start a later upgrade outside its window."})
public class StartNowCommand extends ManagedUpgradeAction {

    @Override
    void check(StatusView view) {
        if (view.progress() != null) {
            throw refuse("UpgradeUnderWay", view.progress().result() == null
                    ? "the upgrade to " + view.progress().to() + " is already under way"
                    : "the upgrade to " + view.progress().to() + " ended as " + view.progress().result()
                            + "; it starts again only after " + NextSteps.command("retry", view));
        }
        if (view.targetVersion() == null) {
            throw refuse("NothingPlanned", "no upgrade is planned (phase " + view.phase() + "); a start-now value"
                    + " would wait and start a later upgrade outside its maintenance window");
        }
    }

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.startNow(resource, token);
    }

    @Override
    String next(StatusView changed, Instant now) {
        return NextSteps.plannedStart(changed, now);
    }
}
