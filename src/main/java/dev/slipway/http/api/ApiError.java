package dev.slipway.http.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of every refused or failed status API request: {@code {"error": {"code": ..., "message": ...}}}. */
@Schema(name = "Error", description = "Why a request was refused.")
public record ApiError(@Schema(description = "What went wrong.") Detail error) {

    @Schema(name = "ErrorDetail")
    public record Detail(
            @Schema(description = "NotFound, MethodNotAllowed, Unauthorized, TooManyFailedSignIns or CacheNotSynced.") String code,
            @Schema(description = "What was refused and why.") String message) {
    }

    public static ApiError of(String code, String message) {
        return new ApiError(new Detail(code, message));
    }
}
