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
import io.keywatch.api.audit.AuditTrailController;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.keys.KeyController;
import io.keywatch.api.revocation.RevocationController;
import io.keywatch.api.silences.SilenceController;
import io.keywatch.api.webhooks.WebhookController;
import java.time.Instant;
import java.util.List;

/**
 * The HTTP API: routes, bearer-credential auth on {@code /api/} and the role each route needs ({@link Access}: viewer
 * reads, responder triages, admin administers), JSON through keywatch's mapper, one error shape.
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
 * GET    /api/v1/audit                    ?keyId &amp;action &amp;since &amp;until &amp;limit &amp;cursor (revocation decisions)
 * GET    /api/v1/audit/verify             recomputes the audit trail's hash chain
 * GET    /api/v1/audit/export             ?since &amp;until &amp;afterId &amp;limit: every change, as JSON lines
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
                     AuditTrailController auditTrail, HealthController health, List<Authenticator> authenticators, ObjectMapper json) {
        BearerTokenAuth auth = new BearerTokenAuth(authenticators);
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(responseMapper(json), false));
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // errors Jetty answers before Javalin sees the request get the one JSON shape too
            JettyJsonErrors.install(config);
            // before-handlers also run for unknown /api/ paths: without a token, nothing reveals which routes exist
            config.routes.before("/api/*", auth);
            // then the role the matched route declares (Access); the health routes declare none and need none
            config.routes.beforeMatched("/api/*", Access.check());
            config.routes.apiBuilder(() -> {
                get("/health", health::health);
                get("/health/live", health::live);
                get("/health/ready", health::ready);
                path("/api/v1", () -> {
                    path("/alerts", () -> {
                        get(alerts::list, Access.VIEWER);
                        path("/{id}", () -> {
                            get(alerts::get, Access.VIEWER);
                            get("/history", alerts::history, Access.VIEWER);
                            post("/acknowledge", alerts::acknowledge, Access.RESPONDER);
                            post("/resolve", alerts::resolve, Access.RESPONDER);
                        });
                    });
                    path("/keys", () -> {
                        get(keys::list, Access.VIEWER);
                        path("/{keyId}", () -> {
                            get(keys::get, Access.VIEWER);
                            put(keys::put, Access.ADMIN);
                            post("/revoke", keys::revoke, Access.RESPONDER);
                            post("/reinstate", keys::reinstate, Access.ADMIN);
                        });
                    });
                    path("/revocations", () -> {
                        get(revocations::list, Access.VIEWER);
                        path("/{id}", () -> {
                            get(revocations::get, Access.VIEWER);
                            post("/approve", revocations::approve, Access.RESPONDER);
                            post("/deny", revocations::deny, Access.RESPONDER);
                        });
                    });
                    get("/audit", revocations::audit, Access.VIEWER);
                    // viewers read everything but secrets, and the trail holds none; anyone who may read may check
                    // that nobody rewrote it
                    get("/audit/verify", auditTrail::verify, Access.VIEWER);
                    get("/audit/export", auditTrail::export, Access.VIEWER);
                    path("/webhooks", () -> {
                        get(webhooks::list, Access.VIEWER);
                        post(webhooks::create, Access.ADMIN);
                        path("/{id}", () -> {
                            get(webhooks::get, Access.VIEWER);
                            delete(webhooks::delete, Access.ADMIN);
                            get("/deliveries", webhooks::deliveries, Access.VIEWER);
                            post("/deliveries/{deliveryId}/redeliver", webhooks::redeliver, Access.ADMIN);
                            post("/recover", webhooks::recover, Access.ADMIN);
                        });
                    });
                    path("/silences", () -> {
                        get(silences::list, Access.VIEWER);
                        post(silences::create, Access.RESPONDER);
                        delete("/{id}", silences::delete, Access.RESPONDER);
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
