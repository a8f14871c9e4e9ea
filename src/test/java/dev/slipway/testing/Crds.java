package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed ManagedUpgrade CRD, applied to a test API server (its status subresource makes updateStatus work). */
public final class Crds {

    private Crds() {
    }

    public static void applyManagedUpgrade(KubernetesClient client) {
        try (InputStream crd = Files.newInputStream(Path.of("crds/managedupgrades.slipway.dev-v1.yml"))) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                    .createOr(NonDeletingOperation::update);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
