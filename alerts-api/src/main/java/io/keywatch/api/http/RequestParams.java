package io.keywatch.api.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/** Reads query and path parameters, turning every bad value into a 400 that names the parameter and the value. */
public final class RequestParams {

    private static final int MAX_ID_LENGTH = 256;

    private RequestParams() {
    }

    /** The query parameter, or null when absent or empty. */
    public static String optional(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String value = optional(ctx, name);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(name + " must be an integer between " + min + " and " + max
                    + ", got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new BadRequestResponse(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    /** An ISO-8601 instant such as 2026-11-27T19:00:00Z (an offset other than Z is accepted too). */
    public static Instant instantParam(Context ctx, String name) {
        String value = optional(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadRequestResponse(name + " must be an ISO-8601 instant such as 2026-11-27T19:00:00Z, got '"
                        + value + "'");
            }
        }
    }

    /** Parses with a function whose {@link IllegalArgumentException} message becomes the 400's message. */
    public static <T> T parsed(Context ctx, String name, Function<String, T> parser) {
        String value = optional(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(name + ": " + e.getMessage());
        }
    }

    /** A path parameter naming a key or an alert: non-blank and of sane length. */
    public static String idParam(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (value.isBlank() || value.length() > MAX_ID_LENGTH) {
            throw new BadRequestResponse(name + " must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }
}
