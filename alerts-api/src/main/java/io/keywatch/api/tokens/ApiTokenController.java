package io.keywatch.api.tokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.RequestParams;
import java.util.Map;

/**
 * {@code POST /api/v1/tokens} (the token shown once), {@code GET /api/v1/tokens}, {@code GET /api/v1/tokens/{id}},
 * {@code DELETE /api/v1/tokens/{id}} (revoke; the row stays). Admin only (declared in ApiServer).
 */
public final class ApiTokenController {

    private static final String EXAMPLE = "{\"name\":\"ci-deploy\",\"role\":\"viewer\",\"expiresInDays\":30,"
            + "\"description\":\"reads alerts for the deploy gate\"}";

    private final ApiTokens tokens;
    private final ObjectMapper json;

    public ApiTokenController(ApiTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    public void create(Context ctx) {
        Actor actor = Actors.context(ctx);
        TokenRequest request = JsonBodies.bind(ctx, TokenRequest.class, EXAMPLE);
        ApiTokens.Issued issued;
        try {
            issued = tokens.issue(request.name(), request.parsedRole(), request.expiresInDays(), request.description(),
                    actor);
        } catch (ApiTokens.InvalidTokenRequest e) {
            throw e.conflict() ? new ConflictResponse(e.getMessage()) : new BadRequestResponse(e.getMessage());
        }
        ObjectNode out = json.valueToTree(issued.token());
        // shown this once: keywatch keeps only its hash
        out.put("token", issued.value());
        ctx.status(HttpStatus.CREATED).json(out);
    }

    public void list(Context ctx) {
        ctx.json(Map.of("items", tokens.list()));
    }

    public void get(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        ctx.json(tokens.find(id).orElseThrow(ApiTokenController::notFound));
    }

    /** 200 with the revoked token; revoking it again changes nothing. */
    public void revoke(Context ctx) {
        Actor actor = Actors.context(ctx);
        String id = RequestParams.idParam(ctx, "id");
        ctx.json(tokens.revoke(id, actor).orElseThrow(ApiTokenController::notFound));
    }

    private static NotFoundResponse notFound() {
        // the id is not echoed: a mistyped id may be a pasted token
        return new NotFoundResponse("no API token with that id");
    }
}
