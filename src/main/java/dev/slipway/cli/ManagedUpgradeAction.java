package dev.slipway.cli;

import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * An administrator's action on one ManagedUpgrade: read it as the user, check that its state allows the action,
 * patch its spec (one JSON merge patch, as a GitOps user would edit the spec in Git) and print one line saying what
 * changed (field: old → new) and what happens next. Exit 0 when done (or when nothing needed changing), 1 when the
 * API server or the resource's state refuses, 2 for bad input or an unreachable API server.
 */
abstract class ManagedUpgradeAction implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the ManagedUpgrade.")
    String name;

    @Mixin
    ClusterOptions clusterOptions;

    @Spec
    CommandSpec spec;

    @Inject
    Clock clock;

    /** Namespace of the resource, once connected. */
    private String namespace;

    /** Checks the command's own arguments before any request is made. */
    void checkArguments() {
    }

    /** Refuses (with {@link #refuse}) when the resource's state does not allow the action; pause and resume never do. */
    void check(StatusView view) {
    }

    /** Like {@link #check(StatusView)}, for an action that needs more of the resource than the view shows. */
    void check(ManagedUpgrade resource, StatusView view) {
        check(view);
    }

    /** Asked before the patch is sent; false leaves the resource as it is. */
    boolean confirmed(ManagedUpgrade resource, StatusView view) {
        return true;
    }

    /**
     * The change.
     *
     * @param token a fresh value for a {@code spec.actions} field that says when and by whom
     */
    abstract SpecChange change(ManagedUpgrade resource, StatusView view, String token);

    /** What happens next, from the resource as changed. */
    abstract String next(StatusView changed, Instant now);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            checkArguments();
            try (ManagedUpgradeClient cluster = ManagedUpgradeClient.connect(clusterOptions)) {
                namespace = cluster.namespace();
                ManagedUpgrade resource = cluster.get(name);
                StatusView view = StatusView.of(resource);
                check(resource, view);
                if (!confirmed(resource, view)) {
                    throw refuse("NotConfirmed", "not confirmed; nothing was changed");
                }
                Optional<String> requester = cluster.requester();
                Instant now = clock.instant();
                SpecChange change = change(resource, view, AdminChanges.actionToken(now, requester));
                if (change.changesNothing()) {
                    out.println(what() + ": nothing to change, " + change.describeUnchanged() + ". Next: "
                            + next(view, now) + ".");
                    out.flush();
                    return CliOutput.EXIT_OK;
                }
                ManagedUpgrade changed = cluster.patch(name,
                        change.mergePatch(resource.getMetadata().getResourceVersion(), requester));
                out.println(what() + ": " + change.describe() + requester.map(user -> " (requested by " + user + ")")
                        .orElse("") + ". Next: " + next(StatusView.of(changed), now) + ".");
                out.flush();
                return CliOutput.EXIT_OK;
            }
        } catch (CliInputException e) {
            return CliOutput.error(CliOutput.Format.text, out, err, e.code(), e.field(), e.getMessage());
        } catch (ClusterRefusal e) {
            CliOutput.error(CliOutput.Format.text, out, err, e.code(), null, e.getMessage());
            return e.exitCode();
        }
    }

    /** A refusal of this action on this resource, with the reason and what would allow it. */
    ClusterRefusal refuse(String code, String reason) {
        return ClusterRefusal.byState(code, spec.name() + " of " + what() + " refused: " + reason);
    }

    private String what() {
        return "ManagedUpgrade " + namespace + "/" + name;
    }
}
