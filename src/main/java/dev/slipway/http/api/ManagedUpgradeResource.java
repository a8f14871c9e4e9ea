package dev.slipway.http.api;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.access.AccessReviews;
import dev.slipway.kubernetes.access.ManagedUpgradeVerb;
import dev.slipway.kubernetes.observability.ManagedUpgradeCache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The read-only status API for dashboards and scripts: what {@code kubectl get mu -o yaml} shows, minus the spec.
 * Read from the controller's informer cache ({@link ManagedUpgradeCache}), so a request costs the API server nothing
 * but the caller's reviews; a replica whose cache is not synced (operator not started, informers not watching)
 * answers 503 with {@code Retry-After} rather than an empty or stale list.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ManagedUpgrades", description = "Read-only state of managed applications and their upgrades.")
public class ManagedUpgradeResource {

    /** Long enough for an operator that is starting to sync its informers. */
    static final String RETRY_AFTER_SECONDS = "5";
    private static final String NOT_SYNCED = "This replica's cache of ManagedUpgrades is not synced (yet).";
    private static final Comparator<ManagedUpgrade> BY_NAMESPACE_AND_NAME = Comparator
            .comparing((ManagedUpgrade r) -> r.getMetadata().getNamespace())
            .thenComparing(r -> r.getMetadata().getName());

    private final ManagedUpgradeCache cache;
    private final AccessReviews reviews;
    private final CurrentCaller caller;

    public ManagedUpgradeResource(ManagedUpgradeCache cache, AccessReviews reviews, CurrentCaller caller) {
        this.cache = cache;
        this.reviews = reviews;
        this.caller = caller;
    }

    @GET
    @Path("/managedupgrades")
    @Operation(summary = "List managed applications",
            description = "Every ManagedUpgrade in the watched namespaces that the caller may get, ordered by namespace "
                    + "and name.")
    @APIResponse(responseCode = "200", description = "The ManagedUpgrades' states.",
            content = @Content(schema = @Schema(implementation = ManagedUpgradeView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "503", description = NOT_SYNCED,
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<ManagedUpgradeView> list() {
        return synced().list().sorted(BY_NAMESPACE_AND_NAME).filter(resource -> mayGet(resource.getMetadata().getNamespace(),
                resource.getMetadata().getName())).map(ManagedUpgradeView::of).toList();
    }

    @GET
    @Path("/namespaces/{namespace}/managedupgrades/{name}")
    @Operation(summary = "Get one managed application",
            description = "Phase, versions, plan, progress of a running upgrade, next window, last feed poll and history.")
    @APIResponse(responseCode = "200", description = "The ManagedUpgrade's state.",
            content = @Content(schema = @Schema(implementation = ManagedUpgradeView.class)))
    @APIResponse(responseCode = "404", description = "No such ManagedUpgrade in a watched namespace, or the caller "
            + "may not get it.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = NOT_SYNCED,
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return found(namespace, name, ManagedUpgradeView::of);
    }

    @GET
    @Path("/namespaces/{namespace}/managedupgrades/{name}/db/status")
    @Operation(summary = "Get the database verification of one managed application",
            description = "Schema version, when verified, a summary of drift findings and whether one blocks upgrades; "
                    + "read from the resource's status, never from the database.")
    @APIResponse(responseCode = "200", description = "The last verification (verified=false if none yet).",
            content = @Content(schema = @Schema(implementation = DatabaseStatusView.class)))
    @APIResponse(responseCode = "404", description = "No such ManagedUpgrade in a watched namespace, or the caller "
            + "may not get it.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = NOT_SYNCED,
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response databaseStatus(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return found(namespace, name, DatabaseStatusView::of);
    }

    /**
     * One the caller may not get is answered exactly as one that does not exist (404, same message): a refusal
     * would tell who may not look that the resource is there.
     */
    private Response found(String namespace, String name, Function<ManagedUpgrade, ?> view) {
        synced();
        Optional<ManagedUpgrade> visible = mayGet(namespace, name) ? cache.get(namespace, name) : Optional.empty();
        return visible.<Response>map(resource -> Response.ok(view.apply(resource)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                        .entity(ApiError.of("NotFound", "no ManagedUpgrade " + namespace + "/" + name
                                + " in a namespace Slipway watches")).build());
    }

    private ManagedUpgradeCache synced() {
        if (!cache.synced()) {
            throw new WebApplicationException(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .type(MediaType.APPLICATION_JSON).header("Retry-After", RETRY_AFTER_SECONDS)
                    .entity(ApiError.of("CacheNotSynced", "this Slipway replica has not synced its cache of "
                            + "ManagedUpgrades yet (the operator is starting, or not running here); try again in "
                            + RETRY_AFTER_SECONDS + " s"))
                    .build());
        }
        return cache;
    }

    private boolean mayGet(String namespace, String name) {
        return reviews.allowed(caller.user(), namespace, name, ManagedUpgradeVerb.GET);
    }
}
