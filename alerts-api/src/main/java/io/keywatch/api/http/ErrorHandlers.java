package io.keywatch.api.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.keywatch.api.keys.KeyStatePublishException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@link ApiError}: Javalin's own responses (unknown route, wrong method), the
 * handlers' {@code BadRequestResponse}/{@code NotFoundResponse}, and anything unexpected (a logged 500 whose body
 * reveals nothing internal).
 */
public final class ErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    public static void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), e.getMessage()));
        routes.exception(StateConflictException.class,
                (e, ctx) -> respond(ctx, HttpStatus.CONFLICT.getCode(), e.getMessage()));
        routes.exception(KeyStatePublishException.class, (e, ctx) -> {
            LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            respond(ctx, HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "the key's new state is stored but could not be published to Kafka; retry the request");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, HttpStatus.INTERNAL_SERVER_ERROR.getCode(), "internal error; see the server log");
        });
        // responses that bypass the exception mappers (e.g. a 404/405 set by Javalin itself) get the shape too
        for (HttpStatus status : new HttpStatus[] {HttpStatus.NOT_FOUND, HttpStatus.METHOD_NOT_ALLOWED}) {
            routes.error(status.getCode(), ctx -> {
                if (!isJson(ctx)) {
                    respond(ctx, status.getCode(), defaultMessage(ctx, status));
                }
            });
        }
    }

    private static void respond(Context ctx, int status, String message) {
        ctx.status(status).json(ApiError.of(status, message == null || message.isBlank()
                ? HttpStatus.Companion.forStatus(status).getMessage() : message));
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    private static String defaultMessage(Context ctx, HttpStatus status) {
        return status == HttpStatus.NOT_FOUND
                ? "no route for " + ctx.method() + " " + ctx.path()
                : "method " + ctx.method() + " is not allowed on " + ctx.path();
    }
}
