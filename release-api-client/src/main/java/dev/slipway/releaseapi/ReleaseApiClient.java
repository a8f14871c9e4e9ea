package dev.slipway.releaseapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Client of the vendor Release API (see {@code release-api-client/openapi.yaml}). Conditional GETs make an unchanged
 * feed cost one 304 and no parsing; every read is bounded in time and size; a feed is parsed completely or rejected.
 */
public final class ReleaseApiClient {

    /** Header carrying the base64 Ed25519 signature over the exact body bytes. */
    public static final String SIGNATURE_HEADER = "X-Slipway-Signature";
    private static final long MAX_SIGNATURE_BYTES = 4096;
    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** Limits applied to every request. */
    public record Limits(Duration connectTimeout, Duration requestTimeout, long maxFeedBytes, long maxArtifactBytes) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30),
                8L * 1024 * 1024, 256L * 1024 * 1024);
    }

    private final Limits limits;
    private final HttpClient defaultClient;
    private final Map<SSLContext, HttpClient> clientsByTrust = new ConcurrentHashMap<>();

    public ReleaseApiClient(Limits limits) {
        this.limits = limits;
        this.defaultClient = newClient(null);
    }

    public ReleaseApiClient() {
        this(Limits.DEFAULT);
    }

    /**
     * Fetches the feed unless it is unchanged since {@code etag}.
     *
     * @param etag the ETag of the catalogue already held, or null
     */
    public FeedResponse fetch(FeedSource source, String etag) throws FeedException {
        URI url = source.releasesUrl();
        Body body = "file".equalsIgnoreCase(url.getScheme())
                ? readFile(url, limits.maxFeedBytes())
                : get(source, url, etag, limits.maxFeedBytes(), "application/json");
        if (body == null) {
            return new FeedResponse.NotModified();
        }
        String newTag = body.etag() != null ? body.etag() : "\"sha256:" + sha256Hex(body.bytes()) + "\"";
        if (newTag.equals(etag)) {
            return new FeedResponse.NotModified();
        }
        if (source.publicKey() != null) {
            verifySignature(source, url, body);
        }
        return new FeedResponse.Fetched(FeedParser.parse(body.bytes(), source.product(), source.resolutionBase()), newTag);
    }

    /** Downloads an artifact the feed points at (bundle, snapshot) and checks it against its published sha256. */
    public byte[] download(FeedSource source, URI url, String expectedSha256) throws FeedException {
        Body body = "file".equalsIgnoreCase(url.getScheme())
                ? readFile(url, limits.maxArtifactBytes())
                : get(source, url, null, limits.maxArtifactBytes(), "*/*");
        String actual = sha256Hex(body.bytes());
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new FeedException(FeedException.Kind.IntegrityMismatch, "download of " + redact(url)
                    + " has sha256 " + actual + " but the feed publishes " + expectedSha256);
        }
        return body.bytes();
    }

    /**
     * Downloads an artifact into {@code file} (created or replaced), streaming it to disk as it arrives so no more
     * than a buffer of it is ever in memory, and checks it against its published sha256 on the way. On any failure,
     * a mismatch included, {@code file} is deleted.
     */
    public void downloadTo(FeedSource source, URI url, String expectedSha256, Path file) throws FeedException {
        boolean checked = false;
        try {
            String actual = "file".equalsIgnoreCase(url.getScheme())
                    ? copyFile(url, file, limits.maxArtifactBytes())
                    : getInto(source, url, file);
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new FeedException(FeedException.Kind.IntegrityMismatch, "download of " + redact(url)
                        + " has sha256 " + actual + " but the feed publishes " + expectedSha256);
            }
            checked = true;
        } finally {
            if (!checked) {
                deleteQuietly(file);
            }
        }
    }

    private void verifySignature(FeedSource source, URI url, Body body) throws FeedException {
        String encoded = body.signature();
        if (encoded == null) {
            URI sigUrl = URI.create(url + ".sig");
            Body sig = "file".equalsIgnoreCase(url.getScheme())
                    ? readOptionalFile(sigUrl)
                    : getOptional(source, sigUrl);
            encoded = sig == null ? null : new String(sig.bytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
        if (encoded == null || encoded.isEmpty()) {
            throw new FeedException(FeedException.Kind.Untrusted, "feed is not signed, but releaseSource.publicKey "
                    + "requires a signature (" + SIGNATURE_HEADER + " header or " + redact(url) + ".sig)");
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(source.publicKey());
            verifier.update(body.bytes());
            if (!verifier.verify(Base64.getDecoder().decode(encoded))) {
                throw new FeedException(FeedException.Kind.Untrusted,
                        "feed signature does not match releaseSource.publicKey");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new FeedException(FeedException.Kind.Untrusted, "feed signature is malformed: " + e.getMessage());
        }
    }

    private Body get(FeedSource source, URI url, String etag, long maxBytes, String accept) throws FeedException {
        HttpResponse<byte[]> response = send(source, url, etag, accept, maxBytes, BoundedBodySubscriber::inMemory);
        if (response.statusCode() == 304 && etag != null) {
            return null;
        }
        requireOk(url, response);
        return new Body(response.body(), response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValue(SIGNATURE_HEADER).orElse(null));
    }

    /** @return the sha256 of the body written into {@code file} */
    private String getInto(FeedSource source, URI url, Path file) throws FeedException {
        HttpResponse<String> response = send(source, url, null, "*/*", limits.maxArtifactBytes(),
                () -> BoundedBodySubscriber.toFile(file));
        requireOk(url, response);
        return response.body();
    }

    private static void requireOk(URI url, HttpResponse<?> response) throws FeedException {
        int status = response.statusCode();
        if (status != 200) {
            throw new FeedException(FeedException.Kind.HttpStatus,
                    "GET " + redact(url) + " answered HTTP " + status + (status == 404 ? " (not found: check url and product)" : ""));
        }
    }

    private Body getOptional(FeedSource source, URI url) throws FeedException {
        HttpResponse<byte[]> response = send(source, url, null, "*/*", MAX_SIGNATURE_BYTES,
                BoundedBodySubscriber::inMemory);
        return response.statusCode() == 200 ? new Body(response.body(), null, null) : null;
    }

    /**
     * One GET, following redirects, within the request timeout for everything (headers and bodies of every hop):
     * {@link HttpRequest#timeout} alone only bounds the wait for headers, and a server trickling its body would hold
     * the poll for as long as it likes. Redirects are followed here, not by the JDK client, which would send the
     * source's headers (credentials) to any host a redirect names. Headers go to the origin of the source's base URL
     * only (so neither a redirect nor a feed's absolute bundle URL can collect them), and https never downgrades to
     * http.
     */
    private <T> HttpResponse<T> send(FeedSource source, URI url, String etag, String accept, long maxBytes,
            Supplier<BoundedBodySubscriber.Sink<T>> sinks) throws FeedException {
        long deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        URI current = url;
        for (int redirects = 0; ; redirects++) {
            Map<String, String> headers = sameOrigin(source.baseUrl(), current) ? source.headers() : Map.of();
            HttpResponse<T> response = exchange(source, current, headers, etag, accept,
                    new BoundedBodySubscriber.Handler<>(maxBytes, sinks), deadline);
            if (!REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            current = redirectTarget(current, response, redirects);
        }
    }

    private <T> HttpResponse<T> exchange(FeedSource source, URI url, Map<String, String> headers, String etag,
            String accept, BoundedBodySubscriber.Handler<T> bodyHandler, long deadline) throws FeedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw noAnswer(url, null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(Duration.ofNanos(remaining))
                .header("Accept", accept).header("User-Agent", "slipway");
        headers.forEach(request::header);
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpClient client = source.sslContext() == null ? defaultClient
                : clientsByTrust.computeIfAbsent(source.sslContext(), this::newClient);
        CompletableFuture<HttpResponse<T>> response = client.sendAsync(request.build(), bodyHandler);
        try {
            return response.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw noAnswer(url, e);
        } catch (ExecutionException e) {
            if (bodyHandler.refusedTooLarge()) {
                throw tooLarge(url, bodyHandler.maxBytes());
            }
            throw failure(url, e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new FeedException(FeedException.Kind.Unreachable, "GET " + redact(url) + " was interrupted", e);
        }
    }

    private static URI redirectTarget(URI current, HttpResponse<?> response, int redirects) throws FeedException {
        String problem = "GET " + redact(current) + " answered HTTP " + response.statusCode();
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
            throw new FeedException(FeedException.Kind.HttpStatus, problem + " without a Location");
        }
        if (redirects == MAX_REDIRECTS) {
            throw new FeedException(FeedException.Kind.HttpStatus, problem + " after " + MAX_REDIRECTS + " redirects");
        }
        URI next;
        try {
            next = current.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FeedException(FeedException.Kind.HttpStatus, problem + " with an invalid Location");
        }
        String scheme = String.valueOf(next.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && "http".equalsIgnoreCase(current.getScheme()))) {
            throw new FeedException(FeedException.Kind.HttpStatus, problem + " redirecting to " + scheme
                    + ": refused (only to https, or to http from http)");
        }
        return next;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && String.valueOf(a.getHost()).equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private FeedException failure(URI url, Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new FeedException(FeedException.Kind.Timeout, "GET " + redact(url) + " could not connect within "
                    + limits.connectTimeout().toMillis() + " ms", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return noAnswer(url, cause);
        }
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException
                || String.valueOf(cause.getMessage()).contains("PKIX")) {
            return new FeedException(FeedException.Kind.Tls, "TLS handshake with " + url.getHost()
                    + " failed (is caSecretRef the CA that signed its certificate?)", cause);
        }
        if (cause instanceof ConnectException) {
            return new FeedException(FeedException.Kind.Unreachable, "GET " + redact(url) + ": connection refused", cause);
        }
        return new FeedException(FeedException.Kind.Unreachable,
                "GET " + redact(url) + " failed: " + cause.getClass().getSimpleName(), cause);
    }

    private FeedException noAnswer(URI url, Throwable cause) {
        return new FeedException(FeedException.Kind.Timeout, "GET " + redact(url) + " got no answer within "
                + limits.requestTimeout().toMillis() + " ms", cause);
    }

    private static Body readFile(URI url, long maxBytes) throws FeedException {
        Path path = Path.of(url);
        try {
            if (Files.size(path) > maxBytes) {
                throw tooLarge(url, maxBytes);
            }
            return new Body(Files.readAllBytes(path), null, null);
        } catch (NoSuchFileException e) {
            throw new FeedException(FeedException.Kind.Unreachable, "file " + path + " does not exist");
        } catch (IOException e) {
            throw new FeedException(FeedException.Kind.Unreachable, "file " + path + " cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }

    /** @return the sha256 of what was copied */
    private static String copyFile(URI url, Path target, long maxBytes) throws FeedException {
        Path path = Path.of(url);
        MessageDigest digest = newSha256();
        try {
            if (Files.size(path) > maxBytes) {
                throw tooLarge(url, maxBytes);
            }
            try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            throw new FeedException(FeedException.Kind.Unreachable, "file " + path + " does not exist");
        } catch (IOException e) {
            throw new FeedException(FeedException.Kind.Unreachable, "file " + path + " cannot be copied to " + target
                    + ": " + e.getClass().getSimpleName());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the caller's directory is cleaned up with it
        }
    }

    private static Body readOptionalFile(URI url) throws FeedException {
        return Files.exists(Path.of(url)) ? readFile(url, MAX_SIGNATURE_BYTES) : null;
    }

    private HttpClient newClient(SSLContext sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        Optional.ofNullable(sslContext).ifPresent(builder::sslContext);
        return builder.build();
    }

    private static FeedException tooLarge(URI url, long maxBytes) {
        return new FeedException(FeedException.Kind.TooLarge, "response from " + redact(url) + " is larger than the "
                + maxBytes + "-byte limit");
    }

    /** URLs can carry credentials in their user-info or query: keep only scheme, host, port and path. */
    static String redact(URI url) {
        if ("file".equalsIgnoreCase(url.getScheme())) {
            return url.getPath();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getPath();
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    private record Body(byte[] bytes, String etag, String signature) {
    }
}
