package dev.slipway.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -n}, {@code --context} and {@code --kubeconfig}: which cluster, as whom and in which namespace, resolved as
 * kubectl does, by fabric8's own kubeconfig loading ({@code KUBECONFIG}, {@code ~/.kube/config}, or in a pod its
 * ServiceAccount). The client acts as the user, never as the operator, so the API server applies the user's RBAC and
 * writes the user into its audit log.
 */
public class ClusterOptions {

    /** kubectl's namespace when neither {@code -n} nor the context names one. */
    static final String DEFAULT_NAMESPACE = "default";
    /**
     * fabric8 retries a failed request 10 times with a doubling backoff by default (minutes against a server that is
     * down); a terminal command says so after a short retry instead.
     */
    private static final int REQUEST_RETRIES = 2;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
            description = "Namespace of the ManagedUpgrade (default: the context's namespace, else default).")
    String namespace;

    @Option(names = "--context", paramLabel = "CONTEXT", description = "kubeconfig context to use (default: the current one).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig file to use (default: $KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    /** A client with the user's credentials; a kubeconfig or context that cannot be used is a {@link CliInputException}. */
    KubernetesClient connect() {
        Config config = config();
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** {@code -n}, else the context's namespace, else {@value #DEFAULT_NAMESPACE}. */
    String namespace(KubernetesClient client) {
        if (namespace != null) {
            return namespace;
        }
        String fromContext = client.getConfiguration().getNamespace();
        return fromContext == null || fromContext.isBlank() ? DEFAULT_NAMESPACE : fromContext;
    }

    private Config config() {
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
            throw new CliInputException("InvalidArgument", "--kubeconfig", "cannot read " + kubeconfig);
        }
        Config config;
        try {
            config = kubeconfig != null ? Config.fromKubeconfig(context, new File(kubeconfig.toString()))
                    : Config.autoConfigure(context);
        } catch (KubernetesClientException e) {
            throw new CliInputException("InvalidArgument", kubeconfig != null ? "--kubeconfig" : null,
                    "cannot use the kubeconfig: " + CliOutput.describe(e));
        }
        if (context != null && (config.getCurrentContext() == null
                || !context.equals(config.getCurrentContext().getName()))) {
            throw new CliInputException("InvalidArgument", "--context", "the kubeconfig has no context named '"
                    + context + "'");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new CliInputException("InvalidArgument", null, "no Kubernetes API server configured: give --kubeconfig"
                    + " or set KUBECONFIG");
        }
        return config;
    }
}
