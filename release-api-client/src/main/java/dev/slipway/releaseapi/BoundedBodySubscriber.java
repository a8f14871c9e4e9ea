package dev.slipway.releaseapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body of at most {@code maxBytes}. A body declared or found to be larger is refused without
 * reading the rest: the subscription is cancelled, which makes the JDK client close the connection (or reset the
 * HTTP/2 stream). Only a 200's body is of interest: any other status's body is discarded as it arrives (cancelling
 * would fail the whole response over HTTP/2, losing the status), within the caller's deadline.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    /**
     * Makes the subscriber for one request and remembers whether it refused the body: over HTTP/2 the JDK may fail
     * the response with its own "stream cancelled" rather than the subscriber's error, so that cannot tell.
     */
    static final class Handler implements HttpResponse.BodyHandler<byte[]> {
        private final long maxBytes;
        private volatile boolean refusedTooLarge;

        Handler(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
            return info.statusCode() == 200 ? new BoundedBodySubscriber(info, this)
                    : HttpResponse.BodySubscribers.replacing(new byte[0]);
        }

        boolean refusedTooLarge() {
            return refusedTooLarge;
        }
    }

    private final Handler handler;
    private final long maxBytes;
    private final boolean declaredTooLarge;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBodySubscriber(HttpResponse.ResponseInfo info, Handler handler) {
        this.handler = handler;
        this.maxBytes = handler.maxBytes;
        this.declaredTooLarge = info.headers().firstValueAsLong("Content-Length").orElse(-1) > maxBytes;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredTooLarge) {
            refuse();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (received.size() + (long) buffer.remaining() > maxBytes) {
                refuse();
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            received.writeBytes(chunk);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(received.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    private void refuse() {
        handler.refusedTooLarge = true;
        body.completeExceptionally(new IOException("response body exceeds the " + maxBytes + "-byte limit"));
        subscription.cancel();
    }
}
