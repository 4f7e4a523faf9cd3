package io.keywatch.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import io.keywatch.api.approvals.FourEyesViolation;
import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.errors.StateConflictException;
import io.keywatch.api.http.ApiError;
import io.keywatch.api.http.JettyJsonErrors;
import io.keywatch.api.keys.KeyStatePublishException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@link ApiError}: Javalin's own responses (unknown route, wrong method), the
 * handlers' {@code BadRequestResponse}/{@code NotFoundResponse}, the domain's own exceptions (which know no HTTP:
 * {@link InvalidInputException} 400, {@link StateConflictException} 409, {@link FourEyesViolation} 403,
 * {@link KeyStatePublishException} 503), and anything unexpected (a logged 500 whose body reveals nothing internal).
 * Part of the composition root: the one place that maps features' exceptions to statuses.
 */
public final class ErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    public static void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(),
                // Javalin's 413 for a body over the limit says only "Content Too Large"
                e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode() ? JettyJsonErrors.message(e.getStatus())
                        : e.getMessage()));
        routes.exception(InvalidInputException.class,
                (e, ctx) -> respond(ctx, HttpStatus.BAD_REQUEST.getCode(), e.getMessage()));
        routes.exception(StateConflictException.class,
                (e, ctx) -> respond(ctx, HttpStatus.CONFLICT.getCode(), e.getMessage()));
        routes.exception(FourEyesViolation.class,
                (e, ctx) -> respond(ctx, HttpStatus.FORBIDDEN.getCode(), e.getMessage()));
        routes.exception(KeyStatePublishException.class, (e, ctx) -> {
            LOG.warn("{} {}: {}", ctx.method(), route(ctx), e.getMessage());
            respond(ctx, HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "the key's new state is stored but could not be published to Kafka; retry the request");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            SQLException refused = dataException(e);
            if (refused != null) {
                // the last line of defence: validation should have refused the value before PostgreSQL did
                LOG.warn("PostgreSQL refused a value on {} {} (SQLState {}); answered 400", ctx.method(), route(ctx),
                        refused.getSQLState());
                respond(ctx, HttpStatus.BAD_REQUEST.getCode(),
                        "invalid value: a parameter or field holds a value the database cannot store");
                return;
            }
            // the route's template, not the path: a path holds ids, which may be anything a client sent
            LOG.error("Unexpected error on {} {}: {}", ctx.method(), route(ctx), LoggedFailure.summary(e),
                    LoggedFailure.of(e));
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

    /**
     * The PostgreSQL data exception (SQLState class 22: invalid text, out-of-range value, bad encoding) somewhere in
     * the cause chain, or null. Such a request will fail the same way every time: the client's error, not ours.
     */
    static SQLException dataException(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return sql;
            }
        }
        return null;
    }

    /** The matched route's template such as {@code /api/v1/keys/{keyId}}, for logs. */
    static String route(Context ctx) {
        Endpoint endpoint;
        try {
            endpoint = ctx.endpoint();
        } catch (RuntimeException e) {
            // no endpoint matched (a before-handler or Jetty failed first): nothing to name
            return "(no route)";
        }
        return endpoint == null ? "(no route)" : endpoint.path;
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
