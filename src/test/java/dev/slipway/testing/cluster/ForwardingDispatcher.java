package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.http.Dispatcher;

/**
 * A dispatcher in front of fabric8's CRUD dispatcher that plays one part of a real API server's request handling
 * (admission, authorization): whatever it lets through goes to {@link #delegate}, and the mock server's own calls
 * (reset between tests, custom resource registration, shutdown) reach the CRUD dispatcher unchanged.
 */
abstract class ForwardingDispatcher extends Dispatcher implements Resetable, CustomResourceAware {

    protected final Dispatcher delegate;

    ForwardingDispatcher(Dispatcher delegate) {
        this.delegate = delegate;
    }

    @Override
    public void reset() {
        if (delegate instanceof Resetable resetable) {
            resetable.reset();
        }
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
        if (delegate instanceof CustomResourceAware aware) {
            aware.expectCustomResource(context);
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }
}
