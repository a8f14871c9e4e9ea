package dev.slipway.releaseapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * Collects a response body of at most {@code maxBytes} into a {@link Sink} (memory for feeds, a file for artifacts). A
 * body declared or found to be larger is refused without reading the rest: the subscription is cancelled, which makes
 * the JDK client close the connection (or reset the HTTP/2 stream). Only a 200's body is of interest: any other
 * status's body is discarded as it arrives (cancelling would fail the whole response over HTTP/2, losing the status),
 * within the caller's deadline.
 */
final class BoundedBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {

    /** Where the body's bytes go as they arrive. */
    interface Sink<T> {
        void write(ByteBuffer buffer) throws IOException;

        /** Called once, after the last byte. */
        T finish() throws IOException;

        /** Called once when the body is refused or fails; must not throw. */
        void abandon();
    }

    /** The body in memory. */
    static Sink<byte[]> inMemory() {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        return new Sink<>() {
            @Override
            public void write(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                received.writeBytes(chunk);
            }

            @Override
            public byte[] finish() {
                return received.toByteArray();
            }

            @Override
            public void abandon() {
                received.reset();
            }
        };
    }

    /** The body streamed into {@code file} (created or truncated); the result is its sha256 in hex. */
    static Sink<String> toFile(Path file) {
        return new Sink<>() {
            private final MessageDigest digest = ReleaseApiClient.newSha256();
            private FileChannel channel;

            @Override
            public void write(ByteBuffer buffer) throws IOException {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                }
                digest.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public String finish() throws IOException {
                if (channel == null) {
                    write(ByteBuffer.allocate(0));
                }
                channel.close();
                return HexFormat.of().formatHex(digest.digest());
            }

            @Override
            public void abandon() {
                try {
                    if (channel != null) {
                        channel.close();
                    }
                } catch (IOException ignored) {
                    // the caller deletes the partial file
                }
            }
        };
    }

    /**
     * Makes the subscriber for one request and remembers whether it refused the body: over HTTP/2 the JDK may fail
     * the response with its own "stream cancelled" rather than the subscriber's error, so that cannot tell.
     */
    static final class Handler<T> implements HttpResponse.BodyHandler<T> {
        private final long maxBytes;
        private final Supplier<Sink<T>> sinks;
        private volatile boolean refusedTooLarge;

        Handler(long maxBytes, Supplier<Sink<T>> sinks) {
            this.maxBytes = maxBytes;
            this.sinks = sinks;
        }

        @Override
        public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
            return info.statusCode() == 200 ? new BoundedBodySubscriber<>(info, this, sinks.get())
                    : HttpResponse.BodySubscribers.replacing(null);
        }

        boolean refusedTooLarge() {
            return refusedTooLarge;
        }

        long maxBytes() {
            return maxBytes;
        }
    }

    private final Handler<T> handler;
    private final long maxBytes;
    private final boolean declaredTooLarge;
    private final Sink<T> sink;
    private final CompletableFuture<T> body = new CompletableFuture<>();
    private long received;
    private Flow.Subscription subscription;

    private BoundedBodySubscriber(HttpResponse.ResponseInfo info, Handler<T> handler, Sink<T> sink) {
        this.handler = handler;
        this.maxBytes = handler.maxBytes;
        this.sink = sink;
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
        try {
            for (ByteBuffer buffer : buffers) {
                if (received + buffer.remaining() > maxBytes) {
                    refuse();
                    return;
                }
                received += buffer.remaining();
                sink.write(buffer);
            }
        } catch (IOException e) {
            fail(e);
            subscription.cancel();
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        fail(error);
    }

    @Override
    public void onComplete() {
        if (body.isDone()) {
            return;
        }
        try {
            body.complete(sink.finish());
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public CompletionStage<T> getBody() {
        return body;
    }

    private void refuse() {
        handler.refusedTooLarge = true;
        fail(new IOException("response body exceeds the " + maxBytes + "-byte limit"));
        subscription.cancel();
    }

    private void fail(Throwable error) {
        if (body.completeExceptionally(error)) {
            sink.abandon();
        }
    }
}
