package dev.slipway.kubernetes.status;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Emits Kubernetes Events about a ManagedUpgrade. An Event that cannot be written is logged, never fatal. */
@ApplicationScoped
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(ManagedUpgrade resource, EventReason reason, String message) {
        emit(resource, "Normal", reason, message);
    }

    public void warning(ManagedUpgrade resource, EventReason reason, String message) {
        emit(resource, "Warning", reason, message);
    }

    private void emit(ManagedUpgrade resource, String type, EventReason reason, String message) {
        String now = clock.instant().toString();
        try {
            client.v1().events().inNamespace(resource.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(eventName(resource.getMetadata().getName()))
                    .withNamespace(resource.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(resource.getApiVersion())
                            .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                            .withNamespace(resource.getMetadata().getNamespace()).withUid(resource.getMetadata().getUid())
                            .build())
                    .withType(type).withReason(reason.name()).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("slipway").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), e.getMessage());
        }
    }

    /** {@code <resource>.<uuid>}, cut so that it stays a valid object name (253 characters) for the longest names. */
    static String eventName(String resourceName) {
        String suffix = "." + UUID.randomUUID();
        String prefix = resourceName.length() + suffix.length() <= 253 ? resourceName
                : resourceName.substring(0, 253 - suffix.length()).replaceAll("[.-]+$", "");
        return prefix + suffix;
    }
}
