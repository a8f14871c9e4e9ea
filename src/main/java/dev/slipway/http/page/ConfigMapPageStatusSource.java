package dev.slipway.http.page;

import dev.slipway.api.page.PageStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Watches the one ConfigMap the operator writes during an upgrade. A missing ConfigMap, a missing key or unreadable
 * JSON all mean "no status": the page then shows a generic maintenance notice rather than an error.
 */
public final class ConfigMapPageStatusSource implements PageStatusSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigMapPageStatusSource.class);
    private static final long FIRST_READ_TIMEOUT_SECONDS = 5;

    private final SharedIndexInformer<ConfigMap> informer;
    private final String configMapName;
    private final String marker;
    private final InMemoryPageStatusSource latest = new InMemoryPageStatusSource();

    public ConfigMapPageStatusSource(KubernetesClient client, String namespace, String configMapName) {
        this.configMapName = namespace + "/" + configMapName;
        this.marker = PageStatus.marker(namespace, configMapName);
        this.informer = client.configMaps().inNamespace(namespace).withName(configMapName).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap configMap) {
                update(configMap);
            }

            @Override
            public void onUpdate(ConfigMap previous, ConfigMap configMap) {
                update(configMap);
            }

            @Override
            public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
                update(null);
            }
        });
        // The page must keep serving while the API server is briefly unreachable: keep retrying, never give up.
        informer.exceptionHandler((started, failure) -> {
            LOG.warnf("Watching ConfigMap %s failed, retrying: %s", this.configMapName, failure.getMessage());
            return true;
        });
    }

    /**
     * Starts watching and waits briefly for the first read, so the page starts with the current status. When the API
     * server does not answer in time the page starts anyway with its generic notice while the watch keeps retrying.
     */
    public ConfigMapPageStatusSource start() {
        try {
            informer.start().toCompletableFuture().get(FIRST_READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("No answer about ConfigMap %s within %d s; showing the generic page until there is one",
                    configMapName, FIRST_READ_TIMEOUT_SECONDS);
        } catch (ExecutionException e) {
            LOG.warnf("Could not read ConfigMap %s yet, showing the generic page until it can: %s", configMapName,
                    e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    private void update(ConfigMap configMap) {
        String json = Optional.ofNullable(configMap).map(ConfigMap::getData)
                .map(data -> data.get(PageStatus.CONFIG_MAP_KEY)).orElse(null);
        Optional<PageStatus> newStatus = PageStatus.fromJson(json);
        if (json != null && newStatus.isEmpty()) {
            LOG.warnf("ConfigMap %s holds no readable %s; showing the generic page", configMapName,
                    PageStatus.CONFIG_MAP_KEY);
        }
        newStatus.ifPresentOrElse(latest::set, latest::clear);
    }

    @Override
    public Optional<PageStatus> current() {
        return latest.current();
    }

    @Override
    public void onChange(Runnable listener) {
        latest.onChange(listener);
    }

    @Override
    public Optional<String> marker() {
        return Optional.of(marker);
    }

    @Override
    public void close() {
        informer.close();
    }
}
