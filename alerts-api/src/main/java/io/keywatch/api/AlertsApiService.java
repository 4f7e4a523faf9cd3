package io.keywatch.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.keywatch.api.alerts.AlertAutoResolver;
import io.keywatch.api.alerts.AlertConsumer;
import io.keywatch.api.alerts.AlertController;
import io.keywatch.api.alerts.AlertIntake;
import io.keywatch.api.alerts.AlertIntakeHealthCheck;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.AlertTimelines;
import io.keywatch.api.alerts.IntakeMetrics;
import io.keywatch.api.alerts.IntakeStatus;
import io.keywatch.api.alerts.TimelineSources;
import io.keywatch.api.alerts.stream.AlertChangeFeed;
import io.keywatch.api.alerts.stream.AlertStream;
import io.keywatch.api.alerts.stream.AlertStreamController;
import io.keywatch.api.alerts.stream.AlertStreamSettings;
import io.keywatch.api.approvals.ApprovalAudit;
import io.keywatch.api.approvals.ApprovalController;
import io.keywatch.api.approvals.ApprovalStore;
import io.keywatch.api.approvals.AuditedApprovals;
import io.keywatch.api.approvals.FourEyes;
import io.keywatch.api.audit.AuditLog;
import io.keywatch.api.audit.AuditTrailController;
import io.keywatch.api.auth.AdminTokenAuthenticator;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.oidc.OidcAuthenticator;
import io.keywatch.api.canaries.CanaryController;
import io.keywatch.api.canaries.CanaryMinter;
import io.keywatch.api.console.ConsoleSso;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.db.MigrationCredentials;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.health.HealthCheck;
import io.keywatch.api.health.HealthController;
import io.keywatch.api.health.KafkaHealthCheck;
import io.keywatch.api.health.PostgresHealthCheck;
import io.keywatch.api.health.StreamsHealthCheck;
import io.keywatch.api.http.AuthThrottle;
import io.keywatch.api.http.HttpListenerSettings;
import io.keywatch.api.keys.KafkaKeyStatePublisher;
import io.keywatch.api.keys.KeyController;
import io.keywatch.api.keys.KeyRegistry;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.api.leastprivilege.KeyScopeConsumer;
import io.keywatch.api.leastprivilege.KeyScopeIntakeHealthCheck;
import io.keywatch.api.leastprivilege.KeyScopeIntakeStatus;
import io.keywatch.api.leastprivilege.KeyScopeRecords;
import io.keywatch.api.leastprivilege.KeyScopeStore;
import io.keywatch.api.leastprivilege.LeastPrivilegeController;
import io.keywatch.api.leastprivilege.LeastPrivilegeReport;
import io.keywatch.api.leastprivilege.LeastPrivilegeSettings;
import io.keywatch.api.metrics.ApiMetrics;
import io.keywatch.api.metrics.HttpMetrics;
import io.keywatch.api.metrics.MetricsController;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.api.metrics.OutboxBacklog;
import io.keywatch.api.revocation.AuditingKeyChanges;
import io.keywatch.api.revocation.RevocationActions;
import io.keywatch.api.revocation.RevocationController;
import io.keywatch.api.revocation.RevocationEngine;
import io.keywatch.api.revocation.RevocationStore;
import io.keywatch.api.secrets.SecretBox;
import io.keywatch.api.secrets.SecretKeys;
import io.keywatch.api.silences.SilenceController;
import io.keywatch.api.silences.SilenceStore;
import io.keywatch.api.tokens.ApiTokenAuthenticator;
import io.keywatch.api.tokens.ApiTokenController;
import io.keywatch.api.tokens.ApiTokenStore;
import io.keywatch.api.tokens.ApiTokens;
import io.keywatch.api.tokens.TokenSecrets;
import io.keywatch.api.usage.UsageController;
import io.keywatch.api.usage.UsageSource;
import io.keywatch.api.webhooks.DeliveryStore;
import io.keywatch.api.webhooks.RelaySignal;
import io.keywatch.api.webhooks.SsrfGuard;
import io.keywatch.api.webhooks.SubscriptionStore;
import io.keywatch.api.webhooks.WebhookController;
import io.keywatch.api.webhooks.WebhookEvents;
import io.keywatch.api.webhooks.WebhookFailingAlerts;
import io.keywatch.api.webhooks.WebhookOutbox;
import io.keywatch.api.webhooks.WebhookRelay;
import io.keywatch.api.webhooks.WebhookSecretSealing;
import io.keywatch.api.webhooks.WebhookSender;
import io.keywatch.api.webhooks.WebhookSettings;
import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts API as one unit: schema migration, topic creation, the alert consumer with its revocation policy, the
 * auto-resolve job, and the HTTP server. Used alone by {@link AlertsApiMain} and inside the standalone.
 */
public final class AlertsApiService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertsApiService.class);
    private static final int TOPIC_PARTITIONS = 3;
    private static final short REPLICATION_FACTOR = 1;
    /** Webhook attempts in flight at once. */
    private static final int RELAY_WORKERS = 8;
    private static final Duration KEY_STATE_REPUBLISH_PERIOD = Duration.ofSeconds(30);
    /** How often the webhook outbox's depth is measured for the metrics. */
    private static final Duration OUTBOX_SAMPLE_PERIOD = Duration.ofSeconds(15);

    private final ApiSettings settings;
    private final DataSource givenDataSource;
    private final Supplier<String> streamsState;
    private final IntSupplier streamsRestoring;
    private final ObjectMapper json = KeywatchJson.newMapper();
    /** What start() opened, closed in reverse order. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private ApiServer server;
    private KeyRevoker revoker;
    private AlertStore alertStore;
    private IntakeStatus intakeStatus;
    private AlertStream alertStream;
    private KeyRegistry registry;
    private boolean started;
    private List<Authenticator> extraAuthenticators = List.of();
    private ApprovalAudit approvalAudit = new AuditedApprovals();
    private HttpListenerSettings listener = HttpListenerSettings.plain(HttpListenerSettings.ALL_INTERFACES);
    private AlertStreamSettings alertStreamSettings = AlertStreamSettings.DEFAULTS;
    private LeastPrivilegeSettings leastPrivilegeSettings = LeastPrivilegeSettings.DEFAULTS;
    private volatile KeyScopeIntakeStatus keyScopeStatus;
    private UsageSource usageSource;
    private PrometheusMeterRegistry meterRegistry;
    private MetricsSettings metricsSettings = MetricsSettings.DEFAULTS;
    private List<ApiServer.ExtraRoute> extraRoutes = List.of();

    /**
     * @param dataSource   PostgreSQL to use instead of a pool built from the settings' URL; the caller closes it.
     *                     Null builds the pool from the settings.
     * @param streamsState the in-process topology's state name (KafkaStreams.State), reported by /health;
     *                     null when the topology runs elsewhere
     * @param streamsRestoring how many state stores the in-process topology is restoring (not ready while any)
     */
    public AlertsApiService(ApiSettings settings, DataSource dataSource, Supplier<String> streamsState,
                            IntSupplier streamsRestoring) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.givenDataSource = dataSource;
        this.streamsState = streamsState;
        this.streamsRestoring = Objects.requireNonNull(streamsRestoring, "streamsRestoring");
    }

    public AlertsApiService(ApiSettings settings, DataSource dataSource, Supplier<String> streamsState) {
        this(settings, dataSource, streamsState, () -> 0);
    }

    public AlertsApiService(ApiSettings settings, Supplier<String> streamsState) {
        this(settings, null, streamsState);
    }

    public AlertsApiService(ApiSettings settings) {
        this(settings, null, null);
    }

    /**
     * Credentials the API accepts besides the bootstrap admin token (tried after it, in this order). Before
     * {@link #start()}.
     */
    public synchronized AlertsApiService withAuthenticators(List<Authenticator> authenticators) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.extraAuthenticators = List.copyOf(authenticators);
        return this;
    }

    /** Where to listen and whether with TLS; all interfaces, plain HTTP unless set. Before {@link #start()}. */
    public synchronized AlertsApiService withListener(HttpListenerSettings listener) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The live alert stream's limits ({@code KEYWATCH_SSE_*}); the defaults unless set. Before {@link #start()}. */
    /** The least-privilege report's settings (its default window); {@link LeastPrivilegeSettings#DEFAULTS} else. */
    public synchronized AlertsApiService withLeastPrivilege(LeastPrivilegeSettings reportSettings) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.leastPrivilegeSettings = Objects.requireNonNull(reportSettings, "reportSettings");
        return this;
    }

    public synchronized AlertsApiService withAlertStream(AlertStreamSettings streamSettings) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.alertStreamSettings = Objects.requireNonNull(streamSettings, "streamSettings");
        return this;
    }

    /**
     * Where {@code GET /api/v1/keys/{keyId}/usage} reads a key's usage (the in-process topology's state); without
     * one that route answers 503. Before {@link #start()}.
     */
    public synchronized AlertsApiService withUsageSource(UsageSource source) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.usageSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * The process' registry (README: Metrics): the API registers its own metrics, HTTP, Jetty, HikariCP and its Kafka
     * clients' in it, and serves it on {@code /metrics} when {@code settings} say so. Without one, no metrics. Before
     * {@link #start()}.
     */
    public synchronized AlertsApiService withMetrics(PrometheusMeterRegistry registry, MetricsSettings settings) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.meterRegistry = Objects.requireNonNull(registry, "registry");
        this.metricsSettings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Routes an embedding program adds under {@code /api/v1} (the bench's same-bytes baseline; keywatch adds none).
     * Before {@link #start()}.
     */
    public synchronized AlertsApiService withExtraRoutes(List<ApiServer.ExtraRoute> routes) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.extraRoutes = List.copyOf(routes);
        return this;
    }

    /** Where approval requests and decisions are recorded (the audit trail). Before {@link #start()}. */
    public synchronized AlertsApiService withApprovalAudit(ApprovalAudit audit) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        this.approvalAudit = Objects.requireNonNull(audit, "audit");
        return this;
    }

    /**
     * Migrates the schema, creates missing topics, starts consuming alerts and serving HTTP.
     *
     * @throws IllegalStateException without an admin token, or when PostgreSQL or Kafka cannot be reached
     */
    public synchronized AlertsApiService start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        String token = settings.adminTokenIfSet().orElseThrow(() -> new IllegalStateException(
                "no admin token: set KEYWATCH_ADMIN_TOKEN (the API refuses to run unauthenticated)"));
        if (settings.recordSigningKeys() == null) {
            // without keys no alert could be trusted: any Kafka writer could revoke any key
            throw new IllegalStateException("no record signing keys: set " + RecordSigningKeys.VAR + " (kid:base64 of "
                    + "at least " + RecordSigningKeys.MIN_BYTES + " bytes, the same list on every keywatch service)");
        }
        if (settings.webhooks().secretKeys() == null) {
            // webhook signing secrets are stored sealed: without a key there is nothing to seal them with
            throw new IllegalStateException("no secret keys: set " + SecretKeys.VAR + " (kid:base64 of "
                    + SecretKeys.KEY_BYTES + " random bytes) or " + SecretKeys.FILE_VAR);
        }
        started = true;
        LOG.info("Starting alerts API with {}", settings);
        RecordSignatures signatures = new RecordSignatures(settings.recordSigningKeys());
        try {
            DataSource dataSource = dataSource();
            migrateSchema(dataSource);
            Jdbi jdbi = ApiJdbi.create(dataSource, json);
            SecretBox secretBox = new SecretBox(settings.webhooks().secretKeys());
            // before anything reads a webhook secret: none left in clear, none under a retired key
            new WebhookSecretSealing(jdbi, secretBox).run();

            new TopicProvisioner(settings.kafkaBootstrap(), settings.kafkaClients(), Duration.ofSeconds(30))
                    .ensure(settings.topics(), TOPIC_PARTITIONS, REPLICATION_FACTOR);

            KafkaKeyStatePublisher publisher =
                    KafkaKeyStatePublisher.create(settings.kafkaBootstrap(), settings.kafkaClients(),
                            settings.topics().keyState(), signatures);
            resources.push(publisher);
            if (meterRegistry != null) {
                publisher.bindMetrics(meterRegistry);
            }
            Clock clock = Clock.systemUTC();
            WebhookSettings webhookSettings = settings.webhooks();
            RelaySignal relaySignal = new RelaySignal();
            WebhookOutbox outbox = new WebhookOutbox(WebhookEvents.create(), relaySignal, clock);
            alertStore = new AlertStore(jdbi, json, clock, outbox.alertListener());
            KeyStore keyStore = new KeyStore(jdbi, json);
            revoker = new KeyRevoker(keyStore, publisher, clock, new AuditingKeyChanges(outbox));
            registry = new KeyRegistry(keyStore, publisher, clock);
            SilenceStore silences = new SilenceStore(jdbi, clock);
            RevocationStore revocations = new RevocationStore(jdbi);
            SubscriptionStore subscriptions = new SubscriptionStore(jdbi, clock, secretBox);
            DeliveryStore deliveries = new DeliveryStore(jdbi, clock, relaySignal,
                    new WebhookFailingAlerts(alertStore));
            SsrfGuard ssrfGuard = SsrfGuard.create(webhookSettings);
            ApiTokenStore tokenStore = new ApiTokenStore(jdbi, settings.access().tokens(), clock);
            republishPending();

            // before the consumer: revocations it makes are delivered at once (and it is closed after the consumer)
            WebhookRelay relay = new WebhookRelay(deliveries, WebhookSender.create(webhookSettings, ssrfGuard),
                    webhookSettings, relaySignal, clock, RELAY_WORKERS, secretBox);
            resources.push(relay);

            RevocationPolicy policy = new RevocationPolicy(settings.autoRevokeMinSeverity(),
                    settings.revocation().rules(), revoker);
            RevocationEngine engine = new RevocationEngine(jdbi, policy, settings.revocation(), alertStore, outbox,
                    revoker, clock);
            intakeStatus = new IntakeStatus(clock);
            ApiMetrics apiMetrics = null;
            if (meterRegistry != null) {
                apiMetrics = new ApiMetrics(meterRegistry, clock).bindIntake(meterRegistry, intakeStatus);
                engine.withListener(apiMetrics);
                relay.withListener(apiMetrics);
                resources.push(new OutboxBacklog(deliveries, meterRegistry, clock).start(OUTBOX_SAMPLE_PERIOD));
            }
            relay.start();
            AlertIntake intake = new AlertIntake(alertStore, engine,
                    apiMetrics != null ? apiMetrics : IntakeMetrics.NONE);
            AlertConsumer consumer = AlertConsumer.create(settings.kafkaBootstrap(), settings.kafkaClients(),
                    settings.consumerGroup(),
                    settings.topics().alerts(), settings.topics().alertsDlq(), new JsonSerde<>(json, Alert.class),
                    intake, intake::probe, intakeStatus, signatures);
            resources.push(consumer);
            if (meterRegistry != null) {
                consumer.bindMetrics(meterRegistry);
            }
            HealthCheck intakeHealth = new AlertIntakeHealthCheck(intakeStatus, consumer::stoppedBecause,
                    settings.topics().alertsDlq(), settings.health(), clock);
            consumer.start();
            KeyScopeStore keyScopes = new KeyScopeStore(jdbi);
            keyScopeStatus = new KeyScopeIntakeStatus(clock);
            KeyScopeConsumer keyScopeConsumer = KeyScopeConsumer.create(settings.kafkaBootstrap(),
                    settings.kafkaClients(), settings.consumerGroup(), settings.topics().keyScopes(),
                    new KeyScopeRecords(signatures, clock), keyScopes, keyScopeStatus, clock);
            resources.push(keyScopeConsumer);
            if (meterRegistry != null) {
                keyScopeConsumer.bindMetrics(meterRegistry);
            }
            HealthCheck keyScopeHealth = new KeyScopeIntakeHealthCheck(keyScopeStatus,
                    keyScopeConsumer::stoppedBecause, settings.topics().keyScopes(),
                    settings.health().intakeStallAfter(), clock);
            keyScopeConsumer.start();
            resources.push(republishEvery(KEY_STATE_REPUBLISH_PERIOD));
            settings.alertAutoResolvePeriod().ifPresent(quiet ->
                    resources.push(new AlertAutoResolver(alertStore, quiet).start()));

            Admin admin = Admin.create(adminProperties());
            resources.push(admin);
            if (meterRegistry != null && admin instanceof AdminClient client) {
                KafkaClientMetrics adminMetrics = new KafkaClientMetrics(client, Tags.of("client", "api-admin"));
                adminMetrics.bindTo(meterRegistry);
                resources.push(adminMetrics);
            }
            ApprovalStore approvals = new ApprovalStore(jdbi);
            FourEyes fourEyes = new FourEyes(settings.fourEyes(), approvals, keyStore, revoker, silences,
                    approvalAudit, clock);
            List<Authenticator> authenticators = new ArrayList<>();
            // the bootstrap admin first: it needs no database round trip
            authenticators.add(new AdminTokenAuthenticator(token));
            authenticators.add(new ApiTokenAuthenticator(tokenStore, clock));
            authenticators.add(OidcAuthenticator.fromSettings(settings.oidc(), clock));
            authenticators.addAll(extraAuthenticators);
            alertStream = new AlertStream(new AlertChangeFeed(jdbi), alertStore, alertStreamSettings,
                    clock).start();
            resources.push(alertStream);
            // discovers in the background from now on: the console's public config route never waits on the issuer
            ConsoleSso consoleSso = ConsoleSso.fromSettings(settings.oidc(), settings.consoleSso()).start();
            resources.push(consoleSso);
            server = new ApiServer(new ApiServer.Controllers(new AlertController(alertStore,
                            new AlertTimelines(alertStore, new TimelineSources(jdbi)), json),
                    new AlertStreamController(alertStream, ApiServer.responseMapper(json)), new UsageController(usageSource, clock),
                    new KeyController(keyStore, alertStore, revoker, registry),
                    new CanaryController(new CanaryMinter(keyStore, registry)),
                    new LeastPrivilegeController(new LeastPrivilegeReport(keyStore, keyScopes, clock),
                            leastPrivilegeSettings),
                    new SilenceController(silences, json, clock, settings.abuse().silenceMax(), fourEyes),
                    new RevocationController(revocations,
                            new RevocationActions(keyStore, revocations, outbox, revoker, clock), json),
                    new WebhookController(subscriptions, deliveries, ssrfGuard, json, clock),
                    new ApiTokenController(new ApiTokens(tokenStore, new TokenSecrets(), settings.tokens(), clock),
                            json),
                    new ApprovalController(fourEyes, approvals, clock),
                    new AuditTrailController(new AuditLog(jdbi), json),
                    new HealthController(healthChecks(dataSource, admin, intakeHealth, keyScopeHealth))),
                    authenticators, new AuthThrottle(settings.abuse().authFailuresPerMinute(),
                            settings.abuse().trackedAddresses(), clock), json,
                    consoleSso, httpMetrics(), extraRoutes);
            resources.push(server);
            // closed before the server too (closing twice is harmless): every open stream ends, so that stopping
            // HTTP does not wait for them
            resources.push(alertStream::close);
            int port = server.start(listener, settings.httpPort());
            LOG.info("Alerts API listening on {}://{}:{}; consuming {}; automatic revocation {}; auto-resolve {}",
                    listener.tls() ? "https" : "http", listener.host(), port, settings.topics().alerts(),
                    describeRevocation(),
                    settings.alertAutoResolvePeriod().map(d -> "after " + d.toMinutes() + " min quiet").orElse("off"));
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The server's metrics: null without a registry, or when /metrics is switched off. */
    private ApiServer.Metrics httpMetrics() {
        if (meterRegistry == null || !metricsSettings.enabled()) {
            return null;
        }
        return new ApiServer.Metrics(meterRegistry, new HttpMetrics(meterRegistry),
                new MetricsController(meterRegistry, metricsSettings));
    }

    private String describeRevocation() {
        if (settings.autoRevokeMinimum().isEmpty()) {
            return "OFF";
        }
        var revocation = settings.revocation();
        String rules = revocation.rules() == null ? "every rule at " + settings.autoRevokeMinSeverity() + " and above"
                : "rules " + revocation.rulesSpec();
        return rules + (revocation.dryRun() ? " (DRY RUN: nothing is revoked)" : "") + ", at most "
                + revocation.maxPerWindow() + " per " + revocation.window().toMinutes() + " min";
    }

    /** The bound HTTP port (useful when the settings asked for port 0). */
    /** Whether the API speaks TLS (its listener has a certificate). */
    public synchronized boolean tls() {
        return listener.tls();
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.port();
    }

    /** The HTTP routes and the role each declares (for the route-by-role test and tools that list them). */
    public List<ApiServer.ApiRoute> routes() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.routes();
    }

    /** The key revoker the service uses, for in-process callers (the standalone's demo). */
    public KeyRevoker keyRevoker() {
        if (revoker == null) {
            throw new IllegalStateException("not started");
        }
        return revoker;
    }

    /** The key registry the service uses, for in-process callers (the standalone's demo registers its keys). */
    public KeyRegistry keyRegistry() {
        if (registry == null) {
            throw new IllegalStateException("not started");
        }
        return registry;
    }

    /** The alert store the service uses, for in-process callers (the standalone's demo and backtest). */
    public AlertStore alertStore() {
        if (alertStore == null) {
            throw new IllegalStateException("not started");
        }
        return alertStore;
    }

    /** The alert intake's figures (what /health reports as alertIntake), for in-process callers and tests. */
    public IntakeStatus intakeStatus() {
        if (intakeStatus == null) {
            throw new IllegalStateException("not started");
        }
        return intakeStatus;
    }

    /** The key-scopes intake's figures (what /health reports as keyScopeIntake), for in-process callers and tests. */
    public KeyScopeIntakeStatus keyScopeStatus() {
        if (keyScopeStatus == null) {
            throw new IllegalStateException("not started");
        }
        return keyScopeStatus;
    }

    /** How many live alert streams this instance serves now. */
    public int alertStreamSubscribers() {
        if (alertStream == null) {
            throw new IllegalStateException("not started");
        }
        return alertStream.subscriberCount();
    }

    public ApiSettings settings() {
        return settings;
    }

    /**
     * DDL as the schema's owner ({@code KEYWATCH_DB_MIGRATION_USER}) over a connection of its own, closed at once: the
     * pool the service runs on then never holds the owner's credentials. Without a migration user, as today: over
     * the service's own connections.
     */
    private void migrateSchema(DataSource serviceDataSource) {
        MigrationCredentials owner = settings.migration();
        if (owner == null) {
            SchemaMigrations.migrate(serviceDataSource, settings.dbAppRole());
            return;
        }
        try (HikariDataSource ownerConnection = DataSources.migrations(settings.dbUrl(), owner)) {
            SchemaMigrations.migrate(ownerConnection, settings.dbAppRole());
        }
    }

    private DataSource dataSource() {
        if (givenDataSource != null) {
            return givenDataSource;
        }
        HikariDataSource pool = DataSources.pooled(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        resources.push(pool);
        if (meterRegistry != null) {
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meterRegistry));
        }
        return pool;
    }

    /**
     * Retries key-state announcements that failed after their change was committed (Kafka away for a moment), so a
     * revocation reaches the topology without waiting for the next change of the key or the next start.
     */
    private AutoCloseable republishEvery(Duration period) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keywatch-key-state-republisher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::republishPending, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    private void republishPending() {
        try {
            revoker.republishPending();
        } catch (RuntimeException e) {
            // not fatal: the next revocation of the same key, or the next start, tries again
            LOG.warn("Could not publish pending key state changes: {}", LoggedFailure.describe(e));
        }
    }

    private Map<String, HealthCheck> healthChecks(DataSource dataSource, Admin admin, HealthCheck intake,
                                                  HealthCheck keyScopeIntake) {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("postgres", new PostgresHealthCheck(dataSource));
        checks.put("kafka", new KafkaHealthCheck(admin));
        checks.put("alertIntake", intake);
        checks.put("keyScopeIntake", keyScopeIntake);
        if (streamsState != null) {
            checks.put("streams", new StreamsHealthCheck(streamsState, streamsRestoring));
        }
        return checks;
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "keywatch-alerts-api-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        settings.kafkaClients().applyTo(props);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
        return props;
    }

    /** Stops HTTP first (no new requests), then the consumer, then the clients and the pool. */
    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Error closing {}: {}", resource.getClass().getSimpleName(), LoggedFailure.describe(e));
            }
        }
        server = null;
    }
}
