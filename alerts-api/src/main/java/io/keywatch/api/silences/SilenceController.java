package io.keywatch.api.silences;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.auth.Role;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.Principals;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import io.keywatch.api.input.JsonFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/silences}, {@code GET /api/v1/silences} (active; {@code ?all=true} for expired and deleted
 * ones too) and {@code DELETE /api/v1/silences/{id}}. A silence ends at most {@code maxDuration} from now. A
 * rule-wide silence (no keyId) switches automatic revocation off for every key the rule flags: it needs the admin role
 * and, while four eyes are on, a second identity's approval (202 with the pending request).
 */
public final class SilenceController {

    static final int LIST_LIMIT = 500;
    private static final String EXAMPLE = "{\"keyId\":\"key_live_42\",\"rule\":\"VOLUME_SPIKE\","
            + "\"expiresAt\":\"2026-11-28T19:00:00Z\",\"comment\":\"load test until tomorrow\"}";

    private final SilenceStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration maxDuration;
    private final RuleWideSilenceApprovals fourEyes;

    public SilenceController(SilenceStore store, ObjectMapper json, Clock clock, Duration maxDuration,
                             RuleWideSilenceApprovals fourEyes) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.maxDuration = maxDuration;
        this.fourEyes = fourEyes;
    }

    public void create(Context ctx) {
        Actor actor = Actors.context(ctx);
        SilenceRequest request = JsonBodies.bind(ctx, SilenceRequest.class, EXAMPLE);
        String keyId = request.keyId();
        String rule = request.rule();
        if (keyId == null && rule == null) {
            throw new BadRequestResponse("a silence needs keyId, rule or both, e.g. " + EXAMPLE);
        }
        if (keyId == null) {
            Principals.require(ctx, Role.ADMIN, "a rule-wide silence (one without keyId)");
        }
        Instant expiresAt = request.expiry();
        if (expiresAt == null) {
            throw new BadRequestResponse("expiresAt is required: silences always end, e.g. " + EXAMPLE);
        }
        if (!expiresAt.isAfter(clock.instant())) {
            throw new BadRequestResponse("expiresAt must be in the future, got " + expiresAt);
        }
        if (expiresAt.isAfter(clock.instant().plus(maxDuration))) {
            throw new BadRequestResponse("expiresAt must be at most " + describe(maxDuration)
                    + " from now (KEYWATCH_SILENCE_MAX_DAYS), got " + expiresAt);
        }
        String comment = JsonFields.required("comment", request.comment());
        // the body's createdBy, like the header, is a note of whom the call is for: it goes with the request's actor
        Actor by = actor.withOnBehalfOf(onBehalfOf(request.createdBy(), actor));
        if (keyId == null && fourEyes.enabled()) {
            ctx.status(HttpStatus.ACCEPTED).json(fourEyes.requestRuleWideSilence(rule, expiresAt, comment, by));
            return;
        }
        Silence silence = store.create(keyId, rule, expiresAt, comment, by.identity(), by);
        ctx.status(HttpStatus.CREATED).json(silence);
    }

    public void list(Context ctx) {
        String all = RequestParams.text(ctx, "all", 5);
        if (all != null && !all.equals("true") && !all.equals("false")) {
            throw new BadRequestResponse("all must be true or false, got " + InputText.quote(all));
        }
        List<Silence> silences = store.list("true".equals(all), LIST_LIMIT);
        ctx.json(Map.of("items", silences));
    }

    public void delete(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        Actor actor = Actors.context(ctx);
        if (!store.delete(id, actor.identity(), actor)) {
            throw new NotFoundResponse("no silence with id " + InputText.quote(id));
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * A body {@code createdBy} names whom the call is for, as the header does: it is kept as the "on behalf of"
     * note, never as the creator (the credential's identity). When both are sent they must agree.
     */
    private static String onBehalfOf(String createdBy, Actor actor) {
        if (createdBy == null) {
            return actor.onBehalfOf();
        }
        Actors.validate(createdBy, "createdBy");
        if (actor.onBehalfOf() != null && !actor.onBehalfOf().equals(createdBy)) {
            throw new BadRequestResponse("createdBy and " + Actors.HEADER + " name different people; send one");
        }
        return createdBy;
    }

    private static String describe(Duration duration) {
        long days = duration.toDays();
        return days > 0 && duration.equals(Duration.ofDays(days)) ? days + (days == 1 ? " day" : " days")
                : duration.toHours() + " h";
    }
}
