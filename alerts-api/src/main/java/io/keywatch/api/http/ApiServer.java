package io.keywatch.api.http;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.keywatch.api.alerts.AlertController;
import io.keywatch.api.keys.KeyController;
import io.keywatch.api.revocation.RevocationController;
import io.keywatch.api.silences.SilenceController;
import io.keywatch.api.webhooks.WebhookController;
import java.time.Instant;

/**
 * The HTTP API: routes, bearer-token auth on {@code /api/}, JSON through keywatch's mapper, one error shape.
 *
 * <pre>
 * GET    /health                          no auth; full report with the live and ready verdicts
 * GET    /health/live                     no auth; 503 when a thread keeping the process working has died
 * GET    /health/ready                    no auth; 503 while not ready (rebalancing, restoring, intake stalled...)
 * GET    /api/v1/alerts                   ?keyId &amp;rule &amp;severity &amp;status &amp;silenced &amp;since &amp;until &amp;limit &amp;cursor
 * GET    /api/v1/alerts/{id}              alert or occurrence id; history embedded
 * GET    /api/v1/alerts/{id}/history
 * POST   /api/v1/alerts/{id}/acknowledge  {"note":"..."} (optional)
 * POST   /api/v1/alerts/{id}/resolve      {"resolution":"fixed","note":"..."}
 * GET    /api/v1/keys                     ?owner &amp;service &amp;status &amp;q &amp;limit &amp;cursor
 * GET    /api/v1/keys/{keyId}
 * PUT    /api/v1/keys/{keyId}             registry entry (KeyMetadata)
 * POST   /api/v1/keys/{keyId}/revoke      {"reason":"..."}
 * POST   /api/v1/keys/{keyId}/reinstate   {"reason":"..."}
 * GET    /api/v1/revocations              ?status &amp;keyId &amp;limit &amp;cursor
 * GET    /api/v1/revocations/{id}
 * POST   /api/v1/revocations/{id}/approve {"note":"..."} (optional)
 * POST   /api/v1/revocations/{id}/deny    {"note":"..."} (optional)
 * GET    /api/v1/audit                    ?keyId &amp;action &amp;since &amp;until &amp;limit &amp;cursor
 * POST   /api/v1/webhooks                 {"url","eventTypes","owner","service","description"}
 * GET    /api/v1/webhooks ?state, GET/DELETE /api/v1/webhooks/{id}
 * GET    /api/v1/webhooks/{id}/deliveries ?status &amp;limit &amp;cursor
 * POST   /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver
 * POST   /api/v1/webhooks/{id}/recover    {"since","until"}
 * GET    /api/v1/silences                 ?all=true
 * POST   /api/v1/silences                 {"keyId","rule","expiresAt","comment","createdBy"}
 * DELETE /api/v1/silences/{id}
 * </pre>
 * Changes are attributed to the {@code X-Keywatch-Actor} header, {@code api:admin} without it.
 */
public final class ApiServer implements AutoCloseable {

    /** The largest request body accepted (413 beyond); the largest valid body, a key registration, is far smaller. */
    public static final long MAX_REQUEST_BYTES = 64 * 1024;

    private final Javalin app;

    public ApiServer(AlertController alerts, KeyController keys, SilenceController silences,
                     RevocationController revocations, WebhookController webhooks,
                     HealthController health, String adminToken, ObjectMapper json) {
        BearerTokenAuth auth = new BearerTokenAuth(adminToken);
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(responseMapper(json), false));
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // errors Jetty answers before Javalin sees the request get the one JSON shape too
            JettyJsonErrors.install(config);
            // before-handlers also run for unknown /api/ paths: without a token, nothing reveals which routes exist
            config.routes.before("/api/*", auth);
            config.routes.apiBuilder(() -> {
                get("/health", health::health);
                get("/health/live", health::live);
                get("/health/ready", health::ready);
                path("/api/v1", () -> {
                    path("/alerts", () -> {
                        get(alerts::list);
                        path("/{id}", () -> {
                            get(alerts::get);
                            get("/history", alerts::history);
                            post("/acknowledge", alerts::acknowledge);
                            post("/resolve", alerts::resolve);
                        });
                    });
                    path("/keys", () -> {
                        get(keys::list);
                        path("/{keyId}", () -> {
                            get(keys::get);
                            put(keys::put);
                            post("/revoke", keys::revoke);
                            post("/reinstate", keys::reinstate);
                        });
                    });
                    path("/revocations", () -> {
                        get(revocations::list);
                        path("/{id}", () -> {
                            get(revocations::get);
                            post("/approve", revocations::approve);
                            post("/deny", revocations::deny);
                        });
                    });
                    get("/audit", revocations::audit);
                    path("/webhooks", () -> {
                        get(webhooks::list);
                        post(webhooks::create);
                        path("/{id}", () -> {
                            get(webhooks::get);
                            delete(webhooks::delete);
                            get("/deliveries", webhooks::deliveries);
                            post("/deliveries/{deliveryId}/redeliver", webhooks::redeliver);
                            post("/recover", webhooks::recover);
                        });
                    });
                    path("/silences", () -> {
                        get(silences::list);
                        post(silences::create);
                        delete("/{id}", silences::delete);
                    });
                });
            });
            ErrorHandlers.register(config.routes);
        });
    }

    /** keywatch's mapper with the fast instant writer: the same JSON, less CPU per alert list. */
    static ObjectMapper responseMapper(ObjectMapper json) {
        return json.copy().registerModule(new SimpleModule("keywatch-http-instants")
                .addSerializer(Instant.class, new IsoInstantSerializer()));
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
