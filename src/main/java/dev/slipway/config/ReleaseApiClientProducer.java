package dev.slipway.config;

import dev.slipway.releaseapi.ReleaseApiClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class ReleaseApiClientProducer {

    @Produces
    @Singleton
    ReleaseApiClient releaseApiClient(SlipwayConfig config) {
        SlipwayConfig.Feed feed = config.feed();
        return new ReleaseApiClient(new ReleaseApiClient.Limits(feed.connectTimeout(), feed.requestTimeout(),
                feed.maxFeedBytes(), feed.maxArtifactBytes()));
    }
}
