package dev.slipway.artifacts;

import dev.slipway.config.SlipwayConfig;
import dev.slipway.releaseapi.ReleaseApiClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The operator's artifact store: cached in {@code slipway.artifacts.directory}, capped at {@code max-bytes}. */
@ApplicationScoped
public class ArtifactStoreProducer {

    @Produces
    @Singleton
    ArtifactStore artifactStore(ReleaseApiClient client, SlipwayConfig config, Clock clock) {
        return ArtifactStore.cached(client, config.artifacts().directory(), config.artifacts().maxBytes(), clock);
    }
}
