package io.keywatch.api.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.input.InputText;
import io.keywatch.events.secrets.SecretDetector;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who an API call is attributed to: always the identity its credential proved ({@link Principals#of}), never what
 * the request says about itself. A shared credential's caller may name the person behind a call in
 * {@code X-Keywatch-Actor}: that is an "on behalf of" note, stored beside the identity ({@link #context}). Names
 * keywatch uses for itself ({@code system}, {@code policy:...}) are refused there too, so that nothing written into
 * history reads as keywatch's own action.
 */
public final class Actors {

    public static final String HEADER = "X-Keywatch-Actor";
    /** The bootstrap admin's identity. */
    public static final String DEFAULT = "api:admin";
    /** What keywatch's own jobs (auto-resolve, intake) write as actor. */
    public static final String SYSTEM = "system";
    public static final int MAX_LENGTH = 64;
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final String REQUEST_ID_ATTRIBUTE = "keywatch.request-id";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final SecretDetector SECRETS = new SecretDetector();

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@:+-]{1," + MAX_LENGTH + "}");

    private Actors() {
    }

    /**
     * The identity the request is attributed to: its authenticated principal's. An {@value #HEADER} header is
     * still validated (a bad one is a 400) but never replaces it; see {@link #context} for the whole attribution.
     */
    public static String of(Context ctx) {
        return context(ctx).identity();
    }

    /**
     * The whole attribution of the request: its authenticated principal, the {@value #HEADER} note (validated as a
     * name), the client address and the request id ({@value #REQUEST_ID_HEADER} when the caller sent a valid one,
     * made up otherwise; echoed in the answer).
     */
    public static Actor context(Context ctx) {
        String note = ctx.header(HEADER);
        String onBehalfOf = note == null || note.isBlank() ? null : validate(note.strip(), HEADER);
        return new Actor(Principals.of(ctx), onBehalfOf, ctx.ip(), requestId(ctx));
    }

    /** The request's id, made once per request and echoed in {@value #REQUEST_ID_HEADER}. */
    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        if (id == null) {
            String sent = ctx.header(REQUEST_ID_HEADER);
            // echoed and stored in the audit trail: never a value that looks like a credential pasted in by mistake
            id = sent != null && REQUEST_ID.matcher(sent).matches() && !SECRETS.isSecret(sent) ? sent
                    : UUID.randomUUID().toString();
            ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
            ctx.header(REQUEST_ID_HEADER, id);
        }
        return id;
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
