package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.page.PageStatus;
import java.time.Instant;

/** What the executor publishes on the maintenance page for a resource, for tests outside this package. */
public final class PageStatusFixture {

    private PageStatusFixture() {
    }

    /** The page status as {@code UpgradeExecutor} publishes it at {@code now}. */
    public static PageStatus published(ManagedUpgrade resource, Instant now) {
        return UpgradeTimeline.page(resource.getSpec().getProduct(), resource.getStatus().getUpgrade(),
                resource.getStatus().getHistory(), now);
    }
}
