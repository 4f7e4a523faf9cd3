package io.keywatch.api.http;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.keywatch.api.alerts.AlertController;
import io.keywatch.api.keys.KeyController;

/**
 * The HTTP API: routes, bearer-token auth on {@code /api/}, JSON through keywatch's mapper, one error shape.
 *
 * <pre>
 * GET  /health                          no auth
 * GET  /api/v1/alerts                   ?keyId &amp;rule &amp;severity &amp;status &amp;since &amp;until &amp;limit &amp;cursor
 * GET  /api/v1/alerts/{id}
 * GET  /api/v1/keys/{keyId}
 * POST /api/v1/keys/{keyId}/revoke      {"reason":"..."}
 * </pre>
 */
public final class ApiServer implements AutoCloseable {

    private final Javalin app;

    public ApiServer(AlertController alerts, KeyController keys, HealthController health,
                     String adminToken, ObjectMapper json) {
        BearerTokenAuth auth = new BearerTokenAuth(adminToken);
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(json, false));
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            // before-handlers also run for unknown /api/ paths: without a token, nothing reveals which routes exist
            config.routes.before("/api/*", auth);
            config.routes.apiBuilder(() -> {
                get("/health", health::health);
                path("/api/v1", () -> {
                    path("/alerts", () -> {
                        get(alerts::list);
                        get("/{id}", alerts::get);
                    });
                    path("/keys/{keyId}", () -> {
                        get(keys::get);
                        post("/revoke", keys::revoke);
                    });
                });
            });
            ErrorHandlers.register(config.routes);
        });
    }

    /** Starts listening on all interfaces; port 0 picks a free port. Returns the bound port. */
    public int start(int port) {
        app.start(port);
        return app.port();
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
