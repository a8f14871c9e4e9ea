package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.upgrade.UpgradeTimeline;
import java.io.Console;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "abandon", mixinStandardHelpOptions = true,
        description = {"Abandon a failed upgrade held behind the maintenance page: sets spec.actions.abandon to a new"
                + " value (the time and the user).",
                "Traffic goes back to the application and its replicas are restored; the database stays migrated as"
                        + " far as it got and the images stay as they are. Asks for confirmation unless --yes."})
public class AbandonCommand extends ManagedUpgradeAction {

    /** Asks the user a question and returns the answer (null at end of input). */
    interface Prompt {
        String ask(String question);
    }

    @Option(names = "--yes", description = "Abandon without asking (needed without an interactive terminal).")
    boolean yes;

    /** The terminal to confirm on; null without one (input or output redirected). */
    Prompt prompt = terminal();

    @Override
    void checkArguments() {
        if (!yes && prompt == null) {
            throw new CliInputException("ConfirmationRequired", "--yes", "abandon restores traffic and replicas but"
                    + " leaves the database and images as they are, and there is no terminal to confirm on: give"
                    + " --yes to abandon");
        }
    }

    @Override
    void check(StatusView view) {
        StatusView.Progress progress = view.progress();
        boolean held = progress != null && "Failed".equals(progress.result());
        // a deletion that waits for an abandon: a running upgrade past its first migration (UpgradeDeletion)
        boolean deletionWaits = view.deleting() && progress != null && progress.committed();
        if (!held && !deletionWaits) {
            throw refuse("NothingToAbandon", "only a failed upgrade held behind the maintenance page can be abandoned"
                    + " (phase " + view.phase() + ")" + (view.upgradeInProgress() ? "; the upgrade to "
                    + progress.to() + " is running: " + NextSteps.command("pause", view)
                    + " stops it before its next step" : ""));
        }
    }

    @Override
    boolean confirmed(ManagedUpgrade resource, StatusView view) {
        if (yes) {
            return true;
        }
        String answer = prompt.ask(consequences(resource, view) + System.lineSeparator() + "Type yes to abandon: ");
        return answer != null && answer.strip().toLowerCase(Locale.ROOT).equals("yes");
    }

    @Override
    SpecChange change(ManagedUpgrade resource, StatusView view, String token) {
        return AdminChanges.abandon(resource, token);
    }

    @Override
    String next(StatusView changed, Instant now) {
        return "the operator sends traffic back to the application, restores its replicas and scales the maintenance"
                + " page down; the database and images stay as they are, and " + changed.progress().to() + " is not"
                + " tried again until " + NextSteps.command("retry", changed) + " or a newer release is planned";
    }

    /** What UpgradeUndo.abandon restores and what it leaves, for this upgrade. */
    static String consequences(ManagedUpgrade resource, StatusView view) {
        StatusView.Progress progress = view.progress();
        String database = UpgradeTimeline.lastMigratedVersion(resource.getStatus().getUpgrade())
                .map(version -> "stays migrated to " + version)
                .orElse("stays as the failed step left it");
        String n = System.lineSeparator();
        return "Abandon the upgrade of " + view.qualifiedName() + " from " + progress.from() + " to " + progress.to()
                + "?" + n
                + "  Restored: traffic goes from the maintenance page back to the application, and each component"
                + " gets back the replicas it had before the upgrade; the page is scaled down." + n
                + "  Stays: the database " + database + " (committed migrations are not undone), and the images stay"
                + " as they are now: check that they run on that schema." + n
                + "  " + progress.to() + " is not tried again until " + NextSteps.command("retry", view)
                + " or a newer release is planned.";
    }

    private static Prompt terminal() {
        Console console = System.console();
        return console == null ? null : question -> console.readLine("%s", question);
    }
}
