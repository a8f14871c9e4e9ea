package dev.slipway.kubernetes.admin;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;

/**
 * The spec changes an administrator's action makes, shared by the CLI's cluster commands and the console so both
 * write exactly the same fields: pausing sets {@code spec.policy.paused}, approving sets
 * {@code spec.policy.approvedVersion}, and the one-shot actions write a fresh token to a {@code spec.actions} field.
 */
public final class AdminChanges {

    private AdminChanges() {
    }

    /** {@code 2026-12-05T18:40:07Z by alice}: new at every request, and it says when and who. */
    public static String actionToken(Instant now, Optional<String> requester) {
        return now.truncatedTo(ChronoUnit.SECONDS) + requester.map(user -> " by " + user).orElse("");
    }

    public static SpecChange pause(ManagedUpgrade resource) {
        return SpecChange.of(new SpecChange.Field("spec.policy.paused", policy(resource, PolicySpec::getPaused),
                Boolean.TRUE));
    }

    /** Removes {@code spec.policy.paused} rather than setting false, so the spec reads as if never paused. */
    public static SpecChange resume(ManagedUpgrade resource) {
        return SpecChange.of(new SpecChange.Field("spec.policy.paused", policy(resource, PolicySpec::getPaused), null));
    }

    /**
     * Approves {@code version} (the planned target), bound to the plan the approver saw ({@code planHash}, its
     * status.plan.hash) when known, so that the upgrade does not start on a path that changed after the approval.
     */
    public static SpecChange approve(ManagedUpgrade resource, String version, String planHash) {
        return SpecChange.of(new SpecChange.Field("spec.policy.approvedVersion",
                policy(resource, PolicySpec::getApprovedVersion), version),
                new SpecChange.Field("spec.policy.approvedPlanHash", policy(resource, PolicySpec::getApprovedPlanHash),
                        planHash));
    }

    /** The hash of the resource's current plan when it leads to {@code version}: what an approver of it has seen. */
    public static String planHashLeadingTo(ManagedUpgrade resource, String version) {
        var plan = resource.getStatus() == null ? null : resource.getStatus().getPlan();
        return plan != null && version.equals(plan.target()) ? plan.hash() : null;
    }

    /**
     * Pins {@code version}, and approves it too when each upgrade needs approval (choosing it is the approval; the
     * path to it is not planned yet, so an earlier approval's plan binding is removed rather than left to refuse it).
     */
    public static SpecChange selectVersion(ManagedUpgrade resource, String version) {
        SpecChange.Field pin = new SpecChange.Field("spec.policy.version", policy(resource, PolicySpec::getVersion),
                version);
        return manualApproval(resource) ? SpecChange.of(pin, new SpecChange.Field("spec.policy.approvedVersion",
                policy(resource, PolicySpec::getApprovedVersion), version), new SpecChange.Field(
                "spec.policy.approvedPlanHash", policy(resource, PolicySpec::getApprovedPlanHash), null))
                : SpecChange.of(pin);
    }

    public static SpecChange startNow(ManagedUpgrade resource, String token) {
        return SpecChange.of(new SpecChange.Field("spec.actions.startNow", action(resource, ActionsSpec::getStartNow),
                token));
    }

    public static SpecChange retry(ManagedUpgrade resource, String token) {
        return SpecChange.of(new SpecChange.Field("spec.actions.retry", action(resource, ActionsSpec::getRetry), token));
    }

    public static SpecChange abandon(ManagedUpgrade resource, String token) {
        return SpecChange.of(new SpecChange.Field("spec.actions.abandon", action(resource, ActionsSpec::getAbandon),
                token));
    }

    public static boolean manualApproval(ManagedUpgrade resource) {
        return policy(resource, PolicySpec::getApproval) == Approval.Manual;
    }

    private static <T> T policy(ManagedUpgrade resource, Function<PolicySpec, T> field) {
        PolicySpec policy = resource.getSpec().getPolicy();
        return policy == null ? null : field.apply(policy);
    }

    private static String action(ManagedUpgrade resource, Function<ActionsSpec, String> field) {
        ActionsSpec actions = resource.getSpec().getActions();
        return actions == null ? null : field.apply(actions);
    }
}
