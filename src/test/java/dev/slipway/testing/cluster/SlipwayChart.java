package dev.slipway.testing.cluster;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The repository's Helm chart, rendered with helm-java as {@code helm template} would for one release. */
public final class SlipwayChart {

    public static final Path DIRECTORY = Path.of("helm/slipway");
    public static final String RELEASE = "slipway";
    public static final String RELEASE_NAMESPACE = "slipway-system";

    private SlipwayChart() {
    }

    /** The manifests of release {@link #RELEASE} in {@link #RELEASE_NAMESPACE} with the given value settings. */
    public static String render(UnaryOperator<TemplateCommand> values) {
        return values.apply(new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(RELEASE_NAMESPACE)).call();
    }
}
