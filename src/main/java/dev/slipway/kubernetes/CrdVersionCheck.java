package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * At start, the ManagedUpgrade CRD installed in the cluster must be at least the version this operator was built
 * with: an API server silently prunes the fields an older schema does not know, so a status written through a stale
 * CRD would lose the upgrade's checkpoint. An operator that finds an older (or no) CRD refuses to reconcile, says so
 * in one log line, and stays not Ready.
 */
@ApplicationScoped
@Readiness
@Default // @Readiness is a qualifier: without this, OperatorLifecycle could not inject the check
public class CrdVersionCheck implements HealthCheck {

    public static final String CRD_NAME = HasMetadata.getFullResourceName(ManagedUpgrade.class);
    public static final String VERSION_ANNOTATION = "slipway.dev/crd-version";
    /**
     * The schema version of the CRD generated from the Java model, written into its {@link #VERSION_ANNOTATION}.
     * Bump it with every change of the generated CRD (CrdTest fails when the schema changed but this did not).
     */
    public static final int CRD_VERSION = 2;
    /** Where the current CRD is, in the repository and in the chart (Helm installs CRDs, but never upgrades them). */
    static final String APPLY_COMMAND = "kubectl apply --server-side -f crds/" + CRD_NAME + "-v1.yml";

    private static final Logger LOG = Logger.getLogger(CrdVersionCheck.class);

    private final KubernetesClient client;
    private volatile String refusal;

    public CrdVersionCheck(KubernetesClient client) {
        this.client = client;
    }

    /** Reads the installed CRD; returns (and keeps, for readiness) why the operator must not reconcile, if it must not. */
    public Optional<String> check() {
        CustomResourceDefinition crd;
        try {
            crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            // An RBAC made without this check (an older chart): the operator still works as before.
            LOG.warnf("Cannot check the version of the installed CRD %s: reading it is forbidden (grant get on "
                    + "customresourcedefinitions, resourceNames [%s]); reconciling without the check", CRD_NAME,
                    CRD_NAME);
            return Optional.empty();
        }
        refusal = crd == null ? notInstalled() : refusal(crd.getMetadata().getAnnotations() == null ? null
                : crd.getMetadata().getAnnotations().get(VERSION_ANNOTATION));
        return Optional.ofNullable(refusal);
    }

    private static String notInstalled() {
        return "The ManagedUpgrade CRD " + CRD_NAME + " is not installed, and this operator needs its version "
                + CRD_VERSION + ": not reconciling. Apply it (" + APPLY_COMMAND + "), then restart the operator";
    }

    /** Null when the installed version is this operator's or newer. */
    static String refusal(String installedVersion) {
        String installed;
        if (installedVersion == null) {
            installed = "older than version 1 (it has no " + VERSION_ANNOTATION + " annotation)";
        } else {
            try {
                if (Integer.parseInt(installedVersion.trim()) >= CRD_VERSION) {
                    return null;
                }
                installed = "at version " + installedVersion.trim();
            } catch (NumberFormatException e) {
                installed = "of unknown version (" + VERSION_ANNOTATION + ": \"" + installedVersion + "\")";
            }
        }
        return "The installed ManagedUpgrade CRD " + CRD_NAME + " is " + installed + ", but this operator needs "
                + "version " + CRD_VERSION + ": not reconciling, because the API server would silently drop the "
                + "status fields the old schema lacks. Apply the new CRD (" + APPLY_COMMAND + "; Helm never upgrades "
                + "CRDs), then restart the operator";
    }

    @Override
    public HealthCheckResponse call() {
        String reason = refusal;
        return HealthCheckResponse.named("ManagedUpgrade CRD version").status(reason == null)
                .withData("required", CRD_VERSION).withData("problem", reason == null ? "none" : reason).build();
    }
}
