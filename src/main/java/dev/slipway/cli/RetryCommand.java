package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Retry an upgrade that ended without completing: sets spec.actions.retry to a new value (the"
                + " time and the user).",
                "A failed upgrade held behind the maintenance page goes on from the failed step; a rolled-back or"
                        + " abandoned one is planned afresh. Refused when no upgrade ended that way."})
public class RetryCommand extends ManagedUpgradeAction {

    @Override
    void check(StatusView view) {
        if (view.progress() == null || view.progress().result() == null) {
            throw refuse("NothingToRetry", "no upgrade failed or was rolled back or abandoned (phase " + view.phase()
                    + ")" + (view.upgradeInProgress() ? "; the upgrade to " + view.progress().to() + " is running" : ""));
        }
    }

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.retry(resource, token);
    }

    @Override
    String next(StatusView changed, Instant now) {
        StatusView.Progress ended = changed.progress();
        if ("Failed".equals(ended.result())) {
            return "the operator goes on with the upgrade to " + ended.to() + " from the failed step"
                    + (changed.lastFailure() == null || changed.lastFailure().step() == null ? ""
                            : ", " + changed.lastFailure().step());
        }
        return "the operator plans the upgrade to " + ended.to() + " afresh, and it starts as approval and the"
                + " maintenance windows allow";
    }
}
