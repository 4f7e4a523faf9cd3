package io.keywatch.api;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.keywatch.api.alerts.AlertController;
import io.keywatch.api.alerts.stream.AlertStreamController;
import io.keywatch.api.approvals.ApprovalController;
import io.keywatch.api.audit.AuditTrailController;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Role;
import io.keywatch.api.canaries.CanaryController;
import io.keywatch.api.console.ConsoleAssets;
import io.keywatch.api.console.ConsoleConfigController;
import io.keywatch.api.console.ConsoleSso;
import io.keywatch.api.docs.OpenApiController;
import io.keywatch.api.health.HealthController;
import io.keywatch.api.http.Access;
import io.keywatch.api.http.AuthThrottle;
import io.keywatch.api.http.BearerTokenAuth;
import io.keywatch.api.http.HttpListenerSettings;
import io.keywatch.api.http.IsoInstantSerializer;
import io.keywatch.api.http.JettyJsonErrors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.MeController;
import io.keywatch.api.http.PemKeyStore;
import io.keywatch.api.http.SecurityHeaders;
import io.keywatch.api.keys.KeyController;
import io.keywatch.api.leastprivilege.LeastPrivilegeController;
import io.keywatch.api.metrics.HttpMetrics;
import io.keywatch.api.metrics.MetricsController;
import io.keywatch.api.revocation.RevocationController;
import io.keywatch.api.silences.SilenceController;
import io.keywatch.api.tokens.ApiTokenController;
import io.keywatch.api.usage.UsageController;
import io.keywatch.api.webhooks.WebhookController;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTP API: routes, bearer-credential auth on {@code /api/} and the role each route needs ({@link Access}: viewer
 * reads, responder triages, admin administers), JSON through keywatch's mapper, one error shape. Part of the
 * composition root (it names every feature's controller), so it lives beside {@code AlertsApiService}, not in
 * {@code http}, which keeps only generic edge helpers.
 *
 * <pre>
 * GET    /health                          no auth: bare status; with a credential: full report, live and ready verdicts
 * GET    /health/live                     (same) 503 when a thread keeping the process working has died
 * GET    /health/ready                    (same) 503 while not ready (rebalancing, restoring, intake stalled...)
 * GET    /                                the console (static files, no auth; all data through the API)
 * GET    /console/config.json             no auth: the console's SSO sign-in settings (nothing secret)
 * GET    /openapi.json                    no auth: the OpenAPI 3.1 document of every route; /docs/ renders it
 * GET    /api/v1/me                       the caller's identity, role and credential kind
 * GET    /api/v1/alerts                   ?keyId &amp;rule &amp;severity &amp;status &amp;silenced &amp;since &amp;until &amp;limit &amp;cursor
 * GET    /api/v1/alerts/stream            Server-Sent Events of alert changes; the list's filters; Last-Event-ID
 * GET    /api/v1/alerts/{id}              alert or occurrence id; history embedded
 * GET    /api/v1/alerts/{id}/history
 * GET    /api/v1/alerts/{id}/timeline     triggered → detected → stored → revocation → webhook deliveries, latencies
 * POST   /api/v1/alerts/{id}/acknowledge  {"note":"..."} (optional)
 * POST   /api/v1/alerts/{id}/resolve      {"resolution":"fixed","note":"..."}
 * GET    /api/v1/keys                     ?owner &amp;service &amp;status &amp;canary &amp;q &amp;limit &amp;cursor
 * GET    /api/v1/keys/{keyId}
 * POST   /api/v1/keys/canaries            {"plantedAt":"...",...}: mints and registers a canary (decoy) key id
 * PUT    /api/v1/keys/{keyId}             registry entry (KeyMetadata)
 * GET    /api/v1/keys/{keyId}/usage       ?from &amp;to &amp;step=minute|hour: counts per step, from the topology's state
 * POST   /api/v1/keys/{keyId}/revoke      {"reason":"..."}
 * POST   /api/v1/keys/{keyId}/reinstate   {"reason":"..."}; 202 with a pending approval request under four eyes
 * GET    /api/v1/reports/least-privilege  ?days &amp;owner &amp;service &amp;limit &amp;cursor: keys with scopes unused for days
 * GET    /api/v1/reports/least-privilege/{keyId}  ?days: one registered key's report and verdict
 * GET    /api/v1/approvals                ?status
 * GET    /api/v1/approvals/{id}
 * POST   /api/v1/approvals/{id}/approve   {"note":"..."} (optional); another identity than the requester's
 * POST   /api/v1/approvals/{id}/deny      {"note":"..."} (optional)
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
 * POST   /api/v1/webhooks/{id}/rotate-secret {"graceHours"} (default 24, at most 168) → the new secret, once
 * GET    /api/v1/silences                 ?all=true
 * POST   /api/v1/silences                 {"keyId","rule","expiresAt","comment","onBehalfOf"}
 * DELETE /api/v1/silences/{id}
 * POST   /api/v1/tokens                   {"name","role","expiresInDays","description"} (admin; token shown once)
 * GET    /api/v1/tokens, GET/DELETE /api/v1/tokens/{id}   (admin; DELETE revokes, the row stays)
 * </pre>
 * Changes are attributed to the authenticated identity ({@link io.keywatch.api.auth.Principal}); an
 * {@code X-Keywatch-Actor} header is kept beside it as an "on behalf of" note.
 */
public final class ApiServer implements AutoCloseable {

    /** The largest request body accepted (413 beyond); the largest valid body, a key registration, is far smaller. */
    public static final long MAX_REQUEST_BYTES = JsonBodies.MAX_REQUEST_BYTES;

    /** HSTS max-age when TLS is on: a year, what browsers' preload lists ask for. */
    static final long HSTS_MAX_AGE_SECONDS = 365L * 24 * 60 * 60;

    private final Javalin app;
    private final List<ApiRoute> routes = new CopyOnWriteArrayList<>();
    /** Set by {@link #start(HttpListenerSettings, int)} right before Javalin builds its connector from it. */
    private volatile HttpListenerSettings listener = HttpListenerSettings.plain(HttpListenerSettings.ALL_INTERFACES);
    private volatile int requestedPort;
    private volatile ServerConnector connector;
    private final Metrics metrics;
    private JettyServerThreadPoolMetrics threadPoolMetrics;

    /**
     * A route as Javalin registered it, with the role it declared ({@link Access}); null when it declares none (a
     * health route, or an /api route nobody may call).
     */
    public record ApiRoute(String method, String path, Role role) {
    }

    /** What answers the routes: one controller per feature (the HTTP edge of each; the domain knows no HTTP). */
    public record Controllers(AlertController alerts, AlertStreamController alertStream, UsageController usage,
                              KeyController keys, CanaryController canaries,
                              LeastPrivilegeController leastPrivilege, SilenceController silences,
                              RevocationController revocations, WebhookController webhooks,
                              ApiTokenController tokens, ApprovalController approvals,
                              AuditTrailController auditTrail, HealthController health) {
    }

    /**
     * {@code GET /metrics} and the HTTP request metrics (README: Metrics); the registry's Jetty binders are added at
     * start.
     */
    public record Metrics(MeterRegistry registry, HttpMetrics http, MetricsController endpoint) {
    }

    public ApiServer(Controllers controllers, List<Authenticator> authenticators, AuthThrottle throttle,
                     ObjectMapper json, ConsoleSso consoleSso) {
        this(controllers, authenticators, throttle, json, consoleSso, null);
    }

    /**
     * A GET route under {@code /api/v1} that an embedding program adds (the bench's same-bytes baseline), behind the
     * same authentication and role check as every route; keywatch itself adds none.
     */
    public record ExtraRoute(String path, Access access, Handler handler) {
        public ExtraRoute {
            java.util.Objects.requireNonNull(access, "access: an extra route declares its role like every route");
            java.util.Objects.requireNonNull(handler, "handler");
            if (path == null || !path.startsWith("/bench/")) {
                throw new IllegalArgumentException("an extra route lives under /bench/, got " + path);
            }
        }
    }

    /** @param metrics null: no /metrics route and no request metrics */
    public ApiServer(Controllers controllers, List<Authenticator> authenticators, AuthThrottle throttle,
                     ObjectMapper json, ConsoleSso consoleSso, Metrics metrics) {
        this(controllers, authenticators, throttle, json, consoleSso, metrics, List.of());
    }

    public ApiServer(Controllers controllers, List<Authenticator> authenticators, AuthThrottle throttle,
                     ObjectMapper json, ConsoleSso consoleSso, Metrics metrics, List<ExtraRoute> extraRoutes) {
        this.metrics = metrics;
        AlertController alerts = controllers.alerts();
        AlertStreamController alertStream = controllers.alertStream();
        UsageController usage = controllers.usage();
        KeyController keys = controllers.keys();
        CanaryController canaries = controllers.canaries();
        LeastPrivilegeController leastPrivilege = controllers.leastPrivilege();
        SilenceController silences = controllers.silences();
        RevocationController revocations = controllers.revocations();
        WebhookController webhooks = controllers.webhooks();
        ApiTokenController tokens = controllers.tokens();
        ApprovalController approvals = controllers.approvals();
        AuditTrailController auditTrail = controllers.auditTrail();
        HealthController health = controllers.health();
        BearerTokenAuth auth = new BearerTokenAuth(authenticators, throttle);
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(responseMapper(json), false));
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // the one connector: where to listen and, with a certificate, TLS (Javalin's own is plain HTTP only)
            config.jetty.addConnector(this::connector);
            // every route and its role, as registered: what the route-by-role test compares its table with
            config.events.handlerAdded(info -> {
                if (!info.getHttpMethod().isHttpMethod()) {
                    return;
                }
                if (metrics != null) {
                    metrics.http().routeAdded(info.getPath());
                }
                routes.add(new ApiRoute(info.getHttpMethod().name(), info.getPath(), info.getRoles().stream()
                        .filter(Access.class::isInstance).map(r -> ((Access) r).role())
                        .reduce((a, b) -> a.includes(b) ? a : b).orElse(null)));
            });
            if (metrics != null) {
                // every answer, 404s and errors included, labelled by its route template only (HttpMetrics)
                config.requestLogger.http(metrics.http()::record);
            }
            // errors Jetty answers before Javalin sees the request get the one JSON shape too
            JettyJsonErrors.install(config);
            // the console's files at /, public (ConsoleAssets); the browser headers on every answer
            ConsoleAssets.install(config);
            // with SSO sign-in on, the policy lets the console reach the issuer's token endpoint (and nothing else)
            config.routes.before(new SecurityHeaders(consoleSso::tokenOrigin));
            // before-handlers also run for unknown /api/ paths: without a token, nothing reveals which routes exist
            config.routes.before("/api/*", auth);
            // then the role the matched route declares (Access); the health routes declare none and need none
            config.routes.beforeMatched("/api/*", Access.check());
            // the health routes answer everyone, and tell their details only to a caller with a valid credential
            config.routes.before("/health", auth.optional());
            config.routes.before("/health/*", auth.optional());
            config.routes.apiBuilder(() -> {
                get("/health", health::health);
                get("/health/live", health::live);
                get("/health/ready", health::ready);
                // public on purpose and outside /api/: the sign-in screen reads it before anyone has a credential
                get(ConsoleConfigController.PATH, new ConsoleConfigController(consoleSso)::config);
                // public too: the OpenAPI document describes the routes and holds no secret (README: API reference)
                get(OpenApiController.PATH, new OpenApiController()::document);
                if (metrics != null) {
                    // outside /api/: Prometheus scrapes without a user's credential (MetricsController)
                    get("/metrics", metrics.endpoint()::scrape);
                }
                path("/api/v1", () -> {
                    get("/me", new MeController()::me, Access.VIEWER);
                    path("/alerts", () -> {
                        get(alerts::list, Access.VIEWER);
                        // before /{id}: "stream" is no alert id
                        get("/stream", alertStream::stream, Access.VIEWER);
                        path("/{id}", () -> {
                            get(alerts::get, Access.VIEWER);
                            get("/history", alerts::history, Access.VIEWER);
                            get("/timeline", alerts::timeline, Access.VIEWER);
                            post("/acknowledge", alerts::acknowledge, Access.RESPONDER);
                            post("/resolve", alerts::resolve, Access.RESPONDER);
                        });
                    });
                    path("/keys", () -> {
                        get(keys::list, Access.VIEWER);
                        post("/canaries", canaries::mint, Access.ADMIN);
                        path("/{keyId}", () -> {
                            get(keys::get, Access.VIEWER);
                            put(keys::put, Access.ADMIN);
                            get("/usage", usage::usage, Access.VIEWER);
                            post("/revoke", keys::revoke, Access.RESPONDER);
                            // four eyes: a request that another admin approves (POST /approvals/{id}/approve)
                            post("/reinstate", approvals.fourEyes() ? approvals::requestReinstatement
                                    : keys::reinstate, Access.ADMIN);
                        });
                    });
                    path("/reports/least-privilege", () -> {
                        get(leastPrivilege::list, Access.VIEWER);
                        get("/{keyId}", leastPrivilege::get, Access.VIEWER);
                    });
                    path("/revocations", () -> {
                        get(revocations::list, Access.VIEWER);
                        path("/{id}", () -> {
                            get(revocations::get, Access.VIEWER);
                            post("/approve", revocations::approve, Access.RESPONDER);
                            post("/deny", revocations::deny, Access.RESPONDER);
                        });
                    });
                    path("/approvals", () -> {
                        get(approvals::list, Access.VIEWER);
                        path("/{id}", () -> {
                            get(approvals::get, Access.VIEWER);
                            // what waits for approval is admin work: so is approving or denying it
                            post("/approve", approvals::approve, Access.ADMIN);
                            post("/deny", approvals::deny, Access.ADMIN);
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
                            post("/rotate-secret", webhooks::rotateSecret, Access.ADMIN);
                        });
                    });
                    path("/silences", () -> {
                        get(silences::list, Access.VIEWER);
                        post(silences::create, Access.RESPONDER);
                        delete("/{id}", silences::delete, Access.RESPONDER);
                    });
                    path("/tokens", () -> {
                        get(tokens::list, Access.ADMIN);
                        post(tokens::create, Access.ADMIN);
                        path("/{id}", () -> {
                            get(tokens::get, Access.ADMIN);
                            delete(tokens::revoke, Access.ADMIN);
                        });
                    });
                    for (ExtraRoute extra : extraRoutes) {
                        get(extra.path(), extra.handler(), extra.access());
                    }
                });
            });
            ErrorHandlers.register(config.routes);
        });
    }

    /** Every HTTP route the server registered, in registration order. */
    public List<ApiRoute> routes() {
        return List.copyOf(routes);
    }

    /** keywatch's mapper with the fast instant writer: the same JSON, less CPU per alert list. */
    public static ObjectMapper responseMapper(ObjectMapper json) {
        return json.copy().registerModule(new SimpleModule("keywatch-http-instants")
                .addSerializer(Instant.class, new IsoInstantSerializer()));
    }

    /** Starts listening on all interfaces over plain HTTP; port 0 picks a free port. Returns the bound port. */
    public int start(int port) {
        return start(HttpListenerSettings.plain(HttpListenerSettings.ALL_INTERFACES), port);
    }

    /**
     * Starts listening where {@code listener} says, with TLS when it names a certificate; port 0 picks a free port.
     *
     * @return the bound port
     * @throws IllegalArgumentException when the certificate or key cannot be read
     */
    public int start(HttpListenerSettings listener, int port) {
        this.listener = listener;
        this.requestedPort = port;
        app.start();
        if (metrics != null) {
            threadPoolMetrics = new JettyServerThreadPoolMetrics(app.jettyServer().threadPool(), Tags.empty());
            threadPoolMetrics.bindTo(metrics.registry());
        }
        return port();
    }

    public int port() {
        return connector.getLocalPort();
    }

    private Connector connector(Server server, HttpConfiguration http) {
        HttpListenerSettings settings = listener;
        ServerConnector built;
        if (settings.tls()) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Strict-Transport-Security on every answer, errors included: browsers then refuse plain HTTP here
            secure.setStsMaxAge(HSTS_MAX_AGE_SECONDS);
            secure.setStsIncludeSubDomains(false);
            // clients that reach the API by IP address or a name not on the certificate are still served
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            char[] password = UUID.randomUUID().toString().toCharArray(); // guards the in-memory store only
            tls.setKeyStore(PemKeyStore.load(settings.tlsCert(), settings.tlsKey(), password));
            tls.setKeyStorePassword(new String(password));
            built = new ServerConnector(server, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https));
        } else {
            built = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        if (metrics != null) {
            // connections opened, open and their bytes, on the one connector
            built.addBean(new JettyConnectionMetrics(metrics.registry(), built));
        }
        built.setHost(settings.host());
        built.setPort(requestedPort);
        connector = built;
        return built;
    }

    /** Whether the API speaks TLS (it was started with a certificate). */
    public boolean tls() {
        return listener.tls();
    }

    @Override
    public void close() {
        app.stop();
        if (threadPoolMetrics != null) {
            try {
                threadPoolMetrics.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot unbind the Jetty thread-pool metrics", e);
            }
        }
    }
}
