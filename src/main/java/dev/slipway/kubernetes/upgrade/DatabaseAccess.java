package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.spec.SecretRef;
import dev.slipway.database.DbConnection;
import dev.slipway.kubernetes.spec.SecretValues;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** Reads database credentials from the Secret a resource names (keys url, username, password). */
@ApplicationScoped
public class DatabaseAccess {

    private final KubernetesClient client;

    public DatabaseAccess(KubernetesClient client) {
        this.client = client;
    }

    /** The connection, or a message saying which Secret or key is missing. */
    public DbConnection connection(String namespace, SecretRef ref, String field) {
        if (ref == null || ref.getName() == null) {
            throw new IllegalArgumentException(field + ": no Secret named");
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
            throw new IllegalArgumentException(field + ": Secret '" + ref.getName() + "' does not exist");
        }
        Map<String, String> values = SecretValues.of(secret);
        String url = Optional.ofNullable(values.get("url")).orElseThrow(() -> missingKey(field, ref, "url"));
        String username = Optional.ofNullable(values.get("username")).orElseThrow(() -> missingKey(field, ref, "username"));
        String password = values.get("password");
        try {
            return new DbConnection(url, username, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": Secret '" + ref.getName() + "' key url: " + e.getMessage());
        }
    }

    private static IllegalArgumentException missingKey(String field, SecretRef ref, String key) {
        return new IllegalArgumentException(field + ": Secret '" + ref.getName() + "' has no key '" + key + "'");
    }
}
