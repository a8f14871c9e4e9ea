package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import java.time.Instant;
import org.semver4j.Semver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "select-version", mixinStandardHelpOptions = true,
        description = {"Choose the version to upgrade to: pins spec.policy.version and, with Manual approval,"
                + " approves it too (spec.policy.approvedVersion).",
                "The operator plans the path to it (required stops included) at its next look."})
public class SelectVersionCommand extends ManagedUpgradeAction {

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version to upgrade to (SemVer, such as 2.0.0).")
    String version;

    @Override
    void checkArguments() {
        Versions.requireSemVer(version, "VERSION");
    }

    @Override
    void check(StatusView view) {
        Semver current = view.currentVersion() == null ? null : Semver.parse(view.currentVersion());
        if (current != null && Semver.parse(version).isLowerThan(current)) {
            throw refuse("Downgrade", version + " is older than the running " + view.currentVersion()
                    + ": Slipway upgrades only");
        }
    }

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.selectVersion(resource, version);
    }

    @Override
    String next(StatusView changed, Instant now) {
        String next = "the operator plans the path to " + version + " at its next look and starts it "
                + NextSteps.whenWindowAllows(changed, now);
        if (changed.paused()) {
            next += " once resumed (spec.policy.paused is true: " + NextSteps.command("resume", changed) + ")";
        }
        boolean known = changed.availableUpdates().stream().anyMatch(v -> StatusView.sameVersion(v, version));
        if (!changed.availableUpdates().isEmpty() && !known) {
            next += "; " + version + " is not among the available updates (" + String.join(", ",
                    changed.availableUpdates()) + "), so the plan may be Blocked: see "
                    + NextSteps.command("status", changed);
        }
        return next;
    }
}
