package dev.slipway.http.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.http.api.FailedSignInLimiter;
import dev.slipway.http.api.ManagedUpgradeReader;
import dev.slipway.kubernetes.ReleaseChoices;
import dev.slipway.kubernetes.access.AccessReviews;
import dev.slipway.kubernetes.access.KubernetesUser;
import dev.slipway.kubernetes.access.ManagedUpgradeVerb;
import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.kubernetes.workload.QuiesceGuard;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The admin console at {@code /console/} (only with {@code slipway.console.enabled=true}): sign-in exchanges a bearer
 * token for a server-side session, the page shows the ManagedUpgrades the user may {@code get}, and each action is
 * the same JSON merge patch the CLI's cluster commands make, authorized per action by a SubjectAccessReview.
 *
 * <p>Every POST must pass three checks against cross-site requests: an {@code Origin} equal to the console's own, the
 * custom header {@value #CONSOLE_HEADER} (a cross-site form cannot send it), and a JSON body; after sign-in it must
 * also carry the session's CSRF token in {@value #CSRF_HEADER}.
 */
@Singleton
public class ConsoleRoutes {

    static final String COOKIE = "__Host-slipway-console";
    static final String CONSOLE_HEADER = "X-Slipway-Console";
    static final String CSRF_HEADER = "X-CSRF-Token";

    /** How often open pages are brought up to date (only when what they show changed). */
    static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

    private static final int MAX_EVENT_STREAMS = 200;
    private static final Logger LOG = Logger.getLogger(ConsoleRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom NONCES = new SecureRandom();
    private static final Map<String, ManagedUpgradeVerb> ACTIONS = Map.of("select-version", ManagedUpgradeVerb.APPROVE,
            "approve", ManagedUpgradeVerb.APPROVE, "start-now", ManagedUpgradeVerb.START, "pause",
            ManagedUpgradeVerb.PAUSE, "resume", ManagedUpgradeVerb.PAUSE, "retry", ManagedUpgradeVerb.RETRY,
            "abandon", ManagedUpgradeVerb.ABANDON);

    private final boolean enabled;
    private final Instance<AccessReviews> accessReviews;
    private final ManagedUpgradeReader reader;
    private final ReleaseChoices releaseChoices;
    private final KubernetesClient client;
    private final Vertx vertx;
    private final Clock clock;
    private final ConsoleSessions sessions;
    private final FailedSignInLimiter signInLimiter;
    private final Set<EventStream> streams = new CopyOnWriteArraySet<>();

    /** Failed sign-ins are counted with the status API's, per client address: one budget for both surfaces. */
    public ConsoleRoutes(SlipwayConfig config, Instance<AccessReviews> accessReviews, ManagedUpgradeReader reader,
            ReleaseChoices releaseChoices, KubernetesClient client, Vertx vertx, Clock clock,
            FailedSignInLimiter signInLimiter) {
        this.enabled = config.console().enabled();
        this.accessReviews = accessReviews;
        this.reader = reader;
        this.releaseChoices = releaseChoices;
        this.client = client;
        this.vertx = vertx;
        this.clock = clock;
        this.sessions = new ConsoleSessions(clock, config.console().sessionIdle(), config.console().sessionAbsolute());
        this.signInLimiter = signInLimiter;
    }

    void routes(@Observes Router router) {
        if (!enabled) {
            return;
        }
        router.get("/console/").handler(this::page);
        router.post("/console/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.post("/console/session").blockingHandler(this::signIn);
        router.post("/console/logout").handler(this::logout);
        router.get("/console/api/managedupgrades").blockingHandler(this::list);
        router.get("/console/api/events").handler(this::events);
        vertx.setPeriodic(EVENT_INTERVAL.toMillis(), timer -> pushToEventStreams());
        router.post("/console/api/namespaces/:namespace/managedupgrades/:name/:action").blockingHandler(this::act);
    }

    private void page(RoutingContext context) {
        String nonce = nonce();
        Optional<ConsoleSessions.Session> session = session(context);
        context.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce
                        + "'; script-src 'nonce-" + nonce + "'; connect-src 'self'; img-src data:; form-action 'self';"
                        + " base-uri 'none'; frame-ancestors 'none'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(ConsolePage.render(nonce, session.map(s -> s.user().name()).orElse(null),
                        session.map(ConsoleSessions.Session::csrfToken).orElse(null)));
    }

    private void signIn(RoutingContext context) {
        if (!crossSiteChecksPass(context)) {
            return;
        }
        String client = context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().host();
        Duration wait = signInLimiter.waitBefore(client);
        if (!wait.isZero()) {
            context.response().putHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
            error(context, 429, "TooManySignIns", "too many failed sign-ins from this address; try again in "
                    + Math.max(1, wait.toSeconds()) + " s");
            return;
        }
        if (!accessReviews.isResolvable()) {
            error(context, 503, "NoAccessReviews", "the console cannot check tokens in this installation");
            return;
        }
        String token = body(context).path("token").asText("").strip();
        Optional<KubernetesUser> user = token.isEmpty() ? Optional.empty() : accessReviews.get().authenticate(token);
        if (user.isEmpty()) {
            signInLimiter.failed(client);
            error(context, 401, "SignInFailed", "the API server did not accept the token");
            return;
        }
        ConsoleSessions.Session session = sessions.start(user.get());
        context.response().addCookie(Cookie.cookie(COOKIE, session.id()).setHttpOnly(true).setSecure(true)
                .setSameSite(CookieSameSite.STRICT).setPath("/"));
        json(context, 200, Map.of("user", user.get().name()));
    }

    private void logout(RoutingContext context) {
        Optional<ConsoleSessions.Session> session = signedIn(context);
        if (session.isEmpty()) {
            return;
        }
        sessions.end(session.get().id());
        context.response().addCookie(Cookie.cookie(COOKIE, "").setHttpOnly(true).setSecure(true)
                .setSameSite(CookieSameSite.STRICT).setPath("/").setMaxAge(0));
        json(context, 200, Map.of("signedOut", true));
    }

    private void list(RoutingContext context) {
        Optional<ConsoleSessions.Session> session = session(context);
        if (session.isEmpty()) {
            error(context, 401, "NotSignedIn", "sign in again");
            return;
        }
        json(context, 200, overview(session.get().user()));
    }

    /** What the page shows {@code user}: each ManagedUpgrade they may {@code get}, with what they may do to it. */
    private Map<String, Object> overview(KubernetesUser user) {
        AccessReviews reviews = accessReviews.get();
        Instant now = clock.instant();
        List<ConsoleView> shown = new ArrayList<>();
        for (ManagedUpgrade resource : reader.list()) {
            String namespace = resource.getMetadata().getNamespace();
            String name = resource.getMetadata().getName();
            if (!reviews.allowed(user, namespace, name, ManagedUpgradeVerb.GET)) {
                continue;
            }
            Map<String, Boolean> allowed = new LinkedHashMap<>();
            for (ManagedUpgradeVerb verb : ManagedUpgradeVerb.values()) {
                if (verb != ManagedUpgradeVerb.GET) {
                    allowed.put(verb.verb(), reviews.allowed(user, namespace, name, verb));
                }
            }
            shown.add(ConsoleView.of(resource, AdminChanges.manualApproval(resource) ? "Manual" : "Automatic",
                    QuiesceGuard.gitOps(resource).orElse(null), allowed, releaseChoices.of(resource, now), now));
        }
        return Map.of("user", user.name(), "managedUpgrades", shown);
    }

    /**
     * The live view ({@code text/event-stream}): an {@code overview} event whenever what this user may see changed,
     * checked every {@link #EVENT_INTERVAL}, each time with the session (without extending it: an open page is not
     * activity) and the user's {@code get} on each resource; {@code signedOut} once the session has ended.
     */
    private void events(RoutingContext context) {
        Cookie cookie = context.request().getCookie(COOKIE);
        String id = cookie == null ? null : cookie.getValue();
        if (sessions.peek(id).isEmpty()) {
            error(context, 401, "NotSignedIn", "sign in again");
            return;
        }
        if (streams.size() >= MAX_EVENT_STREAMS) {
            error(context, 503, "TooManyStreams", "too many open consoles; reload later");
            return;
        }
        HttpServerResponse response = context.response().putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").setChunked(true);
        EventStream stream = new EventStream(id, response);
        streams.add(stream);
        response.closeHandler(closed -> streams.remove(stream));
        response.exceptionHandler(failure -> streams.remove(stream));
        response.write("retry: 5000\n\n");
        push(stream);
    }

    private void pushToEventStreams() {
        streams.forEach(this::push);
    }

    private void push(EventStream stream) {
        if (!stream.busy.compareAndSet(false, true)) {
            return;
        }
        vertx.<String>executeBlocking(() -> {
            Optional<ConsoleSessions.Session> session = sessions.peek(stream.sessionId);
            return session.isEmpty() ? null : JSON.writeValueAsString(overview(session.get().user()));
        }, false).onComplete(done -> stream.busy.set(false)).onSuccess(overview -> {
            if (stream.response.closed()) {
                streams.remove(stream);
            } else if (overview == null) {
                streams.remove(stream);
                stream.response.end("event: signedOut\ndata: {}\n\n");
            } else if (!overview.equals(stream.last)) {
                stream.last = overview;
                stream.response.write("event: overview\ndata: " + overview + "\n\n");
            }
        }).onFailure(failure -> LOG.debugf(failure, "console event not sent"));
    }

    /** One open page's stream and the last overview it was sent (pushed again only when that changes). */
    private static final class EventStream {
        final String sessionId;
        final HttpServerResponse response;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile String last;

        EventStream(String sessionId, HttpServerResponse response) {
            this.sessionId = sessionId;
            this.response = response;
        }
    }

    private void act(RoutingContext context) {
        Optional<ConsoleSessions.Session> session = signedIn(context);
        if (session.isEmpty()) {
            return;
        }
        String namespace = context.pathParam("namespace");
        String name = context.pathParam("name");
        String action = context.pathParam("action");
        ManagedUpgradeVerb verb = ACTIONS.get(action);
        if (verb == null) {
            error(context, 404, "NoSuchAction", "action must be one of " + String.join(", ", ACTIONS.keySet()));
            return;
        }
        KubernetesUser user = session.get().user();
        if (!accessReviews.get().allowed(user, namespace, name, verb)) {
            error(context, 403, "Forbidden", user.name() + " may not " + verb.verb() + " ManagedUpgrade " + namespace
                    + "/" + name);
            return;
        }
        Optional<ManagedUpgrade> found = reader.get(namespace, name);
        if (found.isEmpty()) {
            error(context, 404, "NotFound", "no ManagedUpgrade " + namespace + "/" + name);
            return;
        }
        ManagedUpgrade resource = found.get();
        Optional<String> gitOps = QuiesceGuard.gitOps(resource);
        if (gitOps.isPresent()) {
            error(context, 409, "GitOpsManaged", namespace + "/" + name + " is managed by " + gitOps.get()
                    + "; approve via Git");
            return;
        }
        String version = body(context).path("version").asText(null);
        if (("select-version".equals(action) || "approve".equals(action)) && (version == null || version.isBlank())) {
            error(context, 400, "VersionMissing", "version: required for " + action);
            return;
        }
        // The approval is of the plan the page showed: refused when the operator has planned another path since.
        String planHash = body(context).path("planHash").asText(null);
        String currentPlan = AdminChanges.planHashLeadingTo(resource, version == null ? "" : version);
        if ("approve".equals(action) && planHash != null && !planHash.equals(currentPlan)) {
            error(context, 409, "PlanChanged", "the plan to " + version + " changed since it was shown (shown "
                    + planHash + ", now " + (currentPlan == null ? "none" : currentPlan) + "); reload and approve again");
            return;
        }
        Optional<String> requester = Optional.of(user.name());
        String token = AdminChanges.actionToken(clock.instant(), requester);
        SpecChange change = switch (action) {
            case "select-version" -> AdminChanges.selectVersion(resource, version);
            case "approve" -> AdminChanges.approve(resource, version, planHash);
            case "start-now" -> AdminChanges.startNow(resource, token);
            case "pause" -> AdminChanges.pause(resource);
            case "resume" -> AdminChanges.resume(resource);
            case "retry" -> AdminChanges.retry(resource, token);
            default -> AdminChanges.abandon(resource, token);
        };
        if (change.changesNothing()) {
            json(context, 200, Map.of("changed", "nothing to change, " + change.describeUnchanged()));
            return;
        }
        try {
            client.resources(ManagedUpgrade.class).inNamespace(namespace).withName(name).patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    change.mergePatch(resource.getMetadata().getResourceVersion(), requester));
        } catch (KubernetesClientException e) {
            error(context, e.getCode() == 409 ? 409 : 502, e.getCode() == 409 ? "Conflict" : "ApiServerError",
                    e.getCode() == 409 ? "the resource changed meanwhile; reload and try again"
                            : "the API server refused the change (HTTP " + e.getCode() + ")");
            return;
        }
        json(context, 200, Map.of("changed", change.describe() + " (requested by " + user.name() + ")"));
    }

    /** The session of a state-changing request that passed the cross-site checks and carries its CSRF token. */
    private Optional<ConsoleSessions.Session> signedIn(RoutingContext context) {
        if (!crossSiteChecksPass(context)) {
            return Optional.empty();
        }
        Optional<ConsoleSessions.Session> session = session(context);
        if (session.isEmpty()) {
            error(context, 401, "NotSignedIn", "sign in again");
            return Optional.empty();
        }
        String sent = context.request().getHeader(CSRF_HEADER);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            error(context, 403, "CsrfTokenMissing", CSRF_HEADER + ": missing or not this session's");
            return Optional.empty();
        }
        return session;
    }

    private boolean crossSiteChecksPass(RoutingContext context) {
        String origin = context.request().getHeader("Origin");
        String own = context.request().scheme() + "://" + context.request().authority();
        if (origin == null || !origin.equals(own)) {
            error(context, 403, "OriginMismatch", "Origin: must be " + own);
            return false;
        }
        if (context.request().getHeader(CONSOLE_HEADER) == null) {
            error(context, 403, "ConsoleHeaderMissing", CONSOLE_HEADER + ": required");
            return false;
        }
        String type = context.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            error(context, 403, "JsonRequired", "Content-Type: must be application/json");
            return false;
        }
        return true;
    }

    private Optional<ConsoleSessions.Session> session(RoutingContext context) {
        Cookie cookie = context.request().getCookie(COOKIE);
        return sessions.find(cookie == null ? null : cookie.getValue());
    }

    private static JsonNode body(RoutingContext context) {
        try {
            return context.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(context.body().asString());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void error(RoutingContext context, int status, String code, String message) {
        json(context, status, Map.of("code", code, "message", message));
    }

    private static void json(RoutingContext context, int status, Object body) {
        try {
            context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store").end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            context.fail(e);
        }
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        NONCES.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
