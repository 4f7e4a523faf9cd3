package io.keywatch.api.http;

import io.javalin.http.HttpStatus;

/**
 * The one JSON body of every error response: {@code {"status":400,"error":"Bad Request","message":"..."}}.
 *
 * @param error   the status's reason phrase
 * @param message what went wrong, in words a client can act on
 */
public record ApiError(int status, String error, String message) {

    public static ApiError of(int status, String message) {
        HttpStatus known = HttpStatus.Companion.forStatus(status);
        // RFC 9110's phrase; Javalin says "Server Error" for 500
        String reason = status == 500 ? "Internal Server Error"
                : known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
        return new ApiError(status, reason, message);
    }
}
