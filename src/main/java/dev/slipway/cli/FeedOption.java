package dev.slipway.cli;

import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.FeedResponse;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --feed} and {@code --product}: where a CLI command reads releases from. */
public class FeedOption {

    @Option(names = "--feed", required = true, paramLabel = "<file|url>",
            description = "Release API base URL (http, https), or a catalog file or directory.")
    String feed;

    @Option(names = "--product", required = true, description = "Product name in the Release API.")
    String product;

    public FeedSource source() {
        boolean isUrl = feed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !feed.matches("^[a-zA-Z]:\\\\.*");
        URI url = isUrl ? URI.create(feed) : Path.of(feed).toAbsolutePath().toUri();
        return FeedSource.of(url, product);
    }

    public ReleaseCatalog fetch(ReleaseApiClient client) throws FeedException {
        return ((FeedResponse.Fetched) client.fetch(source(), null)).catalog();
    }
}
