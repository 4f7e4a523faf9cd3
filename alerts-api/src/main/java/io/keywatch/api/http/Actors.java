package io.keywatch.api.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Who an API call is attributed to. The admin token is shared, so a client may name the person behind a call in
 * {@code X-Keywatch-Actor}; without it, calls are attributed to {@code api:admin}. Names keywatch uses for itself
 * ({@code system}, {@code policy:...}) are refused, so history never shows a person's action as keywatch's own.
 */
public final class Actors {

    public static final String HEADER = "X-Keywatch-Actor";
    public static final String DEFAULT = "api:admin";
    /** What keywatch's own jobs (auto-resolve, intake) write as actor. */
    public static final String SYSTEM = "system";
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@:+-]{1," + MAX_LENGTH + "}");

    private Actors() {
    }

    /** The validated actor of the request. */
    public static String of(Context ctx) {
        String value = ctx.header(HEADER);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        return validate(value.strip(), HEADER);
    }

    /** Checks a name given as actor (header or body field); throws a 400 naming {@code field}. */
    public static String validate(String value, String field) {
        if (!VALID.matcher(value).matches()) {
            throw new BadRequestResponse(field + " must be 1 to " + MAX_LENGTH
                    + " characters of letters, digits and . _ @ : + -, got " + InputText.quote(value));
        }
        if (value.equalsIgnoreCase(SYSTEM) || value.regionMatches(true, 0, "policy:", 0, 7)) {
            throw new BadRequestResponse(field + " '" + value + "' is reserved for keywatch itself");
        }
        return value;
    }
}
