package io.keywatch.api.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.keywatch.api.input.CursorCodec;
import io.keywatch.api.input.InputInstants;
import io.keywatch.api.input.InputText.Kind;
import io.keywatch.api.input.InputText;
import io.keywatch.api.input.KeyIdInput;
import java.time.Instant;
import java.util.function.Function;

/**
 * Reads query and path parameters, turning every bad value into a 400 that names the parameter. Every value passes
 * {@link InputText} (single line, bounded) before anything parses it, so parsers and their messages only ever see
 * printable text of sane length.
 */
public final class RequestParams {

    /** Key ids, alert ids, and free filters such as owner or service. */
    public static final int MAX_ID_LENGTH = KeyIdInput.MAX_ID_LENGTH;
    /** Enum names, booleans, numbers and instants: nothing valid comes close. */
    static final int MAX_TOKEN_LENGTH = 64;
    /** Page tokens made by {@link CursorCodec}. */
    public static final int MAX_CURSOR_LENGTH = CursorCodec.MAX_TOKEN_LENGTH;

    private RequestParams() {
    }

    /** The query parameter (stripped, at most {@value #MAX_ID_LENGTH} characters), or null when absent or blank. */
    public static String optional(Context ctx, String name) {
        return text(ctx, name, MAX_ID_LENGTH);
    }

    /** The query parameter (stripped, at most {@code maxLength} characters), or null when absent or blank. */
    public static String text(Context ctx, String name, int maxLength) {
        String value = queryParam(ctx, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return InputText.require(name, value.strip(), Kind.SINGLE_LINE, maxLength);
    }

    /**
     * Checks a key id taken from a request (query, path or body) by keywatch's one rule, {@code KeyIds}: null stays
     * null; a bad one is a 400 naming the problem (length, or index and code point), never the value.
     */
    public static String keyId(String name, String value) {
        return KeyIdInput.check(name, value);
    }

    public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String value = text(ctx, name, MAX_TOKEN_LENGTH);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(name + " must be an integer between " + min + " and " + max
                    + ", got " + InputText.quote(value));
        }
        if (parsed < min || parsed > max) {
            throw new BadRequestResponse(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    /** An ISO-8601 instant such as 2026-11-27T19:00:00Z (another offset too), in {@link InputInstants}' range. */
    public static Instant instantParam(Context ctx, String name) {
        String value = text(ctx, name, MAX_TOKEN_LENGTH);
        return value == null ? null : InputInstants.require(name, value);
    }

    /** Parses with a function whose {@link IllegalArgumentException} message becomes the 400's message. */
    public static <T> T parsed(Context ctx, String name, Function<String, T> parser) {
        return parsed(ctx, name, MAX_TOKEN_LENGTH, parser);
    }

    /** As {@link #parsed(Context, String, Function)} for values up to {@code maxLength} characters. */
    public static <T> T parsed(Context ctx, String name, int maxLength, Function<String, T> parser) {
        String value = text(ctx, name, maxLength);
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(name + ": " + e.getMessage());
        }
    }

    /** A page token: checked as text here, decoded by the store that made it (a bad token is a 400 there too). */
    public static String cursor(Context ctx) {
        return text(ctx, "cursor", MAX_CURSOR_LENGTH);
    }

    /** A path parameter naming a key or an alert: non-blank, single line, at most {@value #MAX_ID_LENGTH} chars. */
    public static String idParam(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (value.isBlank()) {
            throw new BadRequestResponse(name + " must not be blank");
        }
        return InputText.require(name, value, Kind.SINGLE_LINE, MAX_ID_LENGTH);
    }

    /** Javalin decodes lazily and throws on malformed percent-encoding ({@code %zz}); that is the client's error. */
    private static String queryParam(Context ctx, String name) {
        try {
            return ctx.queryParam(name);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("the query string is not valid percent-encoded UTF-8");
        }
    }
}
