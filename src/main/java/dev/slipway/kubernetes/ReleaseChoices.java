package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.plan.UpgradePlanner;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.kubernetes.status.PlanStatuses;
import dev.slipway.releaseapi.Release;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.semver4j.Semver;

/**
 * Every release newer than the running one on the policy's channel, each planned by the core planner as if it were
 * chosen ({@code spec.policy.version}): the path to it, or why it cannot be reached (blocked by the vendor, younger
 * than {@code minReleaseAge}, beyond the allowed scope, no path). The feed comes from the operator's {@link FeedCache},
 * so showing the choices polls the Release API no more often than reconciling does.
 */
@ApplicationScoped
public class ReleaseChoices {

    /** A release the admin may choose, with the path to it as {@code status.plan} would show it. */
    public record Reachable(String version, URI notesUrl, List<HopStatus> hops, String planHash) {
    }

    /** A newer release on the channel that cannot be chosen now; {@code usableAt} is set when only its age stops it. */
    public record Unreachable(String version, URI notesUrl, String why, Instant usableAt) {
    }

    /** The choices, or {@code problem} when the feed or the spec does not allow planning. */
    public record Choices(List<Reachable> reachable, List<Unreachable> unreachable, String problem) {

        static Choices failed(String problem) {
            return new Choices(List.of(), List.of(), problem);
        }
    }

    private final FeedCache feeds;
    private final KubernetesClient client;

    public ReleaseChoices(FeedCache feeds, KubernetesClient client) {
        this.feeds = feeds;
        this.client = client;
    }

    public Choices of(ManagedUpgrade resource, Instant now) {
        ManagedUpgradeStatus status = resource.getStatus();
        if (status == null || status.getCurrentVersion() == null) {
            return Choices.failed("the running version is not known yet");
        }
        ResolvedSpec spec;
        FeedCache.FeedState feed;
        try {
            spec = SpecReader.read(resource.getSpec());
            feed = feeds.get(FeedSources.build(spec, resource.getSpec().getReleaseSource(),
                    resource.getMetadata().getNamespace(), client), spec.pollInterval(),
                    ManagedUpgradeReconciler.acceptedGeneratedAt(status.getLastFeedPoll()));
        } catch (InvalidSpecException e) {
            return Choices.failed(e.getMessage());
        }
        if (feed.catalog() == null) {
            return Choices.failed("the Release API has not answered yet" + (feed.lastError() == null ? ""
                    : ": " + feed.lastError()));
        }
        Semver current = new Semver(status.getCurrentVersion());
        UpgradePolicy policy = spec.policy();
        List<Release> releases = feed.catalog().releases();
        List<Reachable> reachable = new ArrayList<>();
        List<Unreachable> unreachable = new ArrayList<>();
        releases.stream().filter(release -> release.version().isGreaterThan(current))
                .filter(release -> release.channels().contains(policy.channel()))
                .sorted(Comparator.comparing(Release::version).reversed())
                .forEach(release -> {
                    UpgradeScope scope = UpgradeScope.between(current, release.version());
                    if (!policy.allow().allows(scope)) {
                        unreachable.add(new Unreachable(release.version().toString(), release.notesUrl(),
                                "a " + scope.name().toLowerCase(Locale.ROOT)
                                        + " upgrade, beyond spec.policy.allow", null));
                        return;
                    }
                    PlanOutcome outcome = UpgradePlanner.plan(current, releases, new UpgradePolicy(policy.channel(),
                            policy.allow(), release.version(), policy.minReleaseAge()), now);
                    if (outcome instanceof PlanOutcome.Planned planned && planned.hasUpdate()) {
                        List<HopStatus> hops = PlanStatuses.hops(planned, resource.getSpec());
                        reachable.add(new Reachable(release.version().toString(), release.notesUrl(), hops,
                                PlanStatuses.hash(current.toString(), hops)));
                    } else if (outcome instanceof PlanOutcome.Failed failed) {
                        Instant usableAt = release.publishedAt().plus(policy.minReleaseAge());
                        // The planner speaks of the pin this listing pretends; the reader only chose to look.
                        String why = failed.message().replaceFirst("^pinned version " + release.version() + " ", "");
                        unreachable.add(new Unreachable(release.version().toString(), release.notesUrl(), why,
                                release.isBlocked() || !usableAt.isAfter(now) ? null : usableAt));
                    }
                });
        return new Choices(reachable, unreachable, null);
    }
}
