package dev.slipway.cli;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.admin.RestoreRequest;
import dev.slipway.kubernetes.admin.SpecChange;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore the latest verified backup after traffic returned to the application: sets"
                + " spec.actions.restore to the backup and the writesSince time its status shows.",
                "Echoing writesSince confirms that the writes visitors made since then leave the database (the"
                        + " operator keeps them in the database the backup replaces). The maintenance page goes up,"
                        + " the application stops, the backup takes the database's place and the images go back to"
                        + " the backup's version. Refused when the backup is not the latest verified one, the time"
                        + " does not match, or an upgrade has not ended."})
public class RestoreCommand extends ManagedUpgradeAction {

    @Option(names = "--backup", required = true, paramLabel = "DATABASE",
            description = "The backup to restore: status.history[].backup.database of the latest backup.")
    String backup;

    @Option(names = "--writes-since", required = true, paramLabel = "TIME",
            description = "The backup's writesSince exactly as its status shows it.")
    String writesSince;

    @Override
    void check(ManagedUpgrade resource, StatusView view) {
        RestoreRequest.refusal(resource, backup, writesSince).ifPresent(refusal -> {
            throw refuse(refusal.reason(), refusal.message().replace("spec.actions.restore.backup", "--backup")
                    .replace("spec.actions.restore.writesSince", "--writes-since"));
        });
    }

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return RestoreRequest.change(resource, backup, writesSince);
    }

    @Override
    String next(StatusView changed, Instant now) {
        return "the operator puts the maintenance page up, stops the application, restores " + backup + " and"
                + " starts the backup's version; the writes made since " + writesSince + " are kept only in the"
                + " database it replaces. " + NextSteps.command("status", changed) + " follows it";
    }
}
