package io.keywatch.standalone;

import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiServer;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.alerts.stream.AlertStreamSettings;
import io.keywatch.api.http.HttpListenerSettings;
import io.keywatch.api.keys.KeyRegistry;
import io.keywatch.api.leastprivilege.LeastPrivilegeSettings;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.api.metrics.ProcessMetrics;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.StreamsSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every keywatch part in one process: an embedded Kafka broker, an embedded PostgreSQL, the streams topology and
 * the alerts API. Each service gets its settings from the same environment variables it reads when it runs alone,
 * with the embedded addresses laid over them.
 */
public final class Standalone implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Standalone.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> serviceEnv;
    private final String adminToken;
    /** Set once the services start. */
    private RecordSigningKeys recordSigningKeys;
    private final boolean tokenGenerated;
    private EmbeddedKafkaBroker broker;
    private EmbeddedPostgresServer postgres;
    private KeywatchStreamsService streams;
    private AlertsApiService api;

    private Standalone(Map<String, String> serviceEnv, String adminToken, boolean tokenGenerated) {
        this.serviceEnv = serviceEnv;
        this.adminToken = adminToken;
        this.tokenGenerated = tokenGenerated;
    }

    /** Starts everything; on failure, stops what had started and rethrows. */
    public static Standalone start(StandaloneSettings settings, Map<String, String> env) {
        return start(settings, env, List.of());
    }

    /** With routes the embedding program adds to the API (the bench's same-bytes baseline). */
    public static Standalone start(StandaloneSettings settings, Map<String, String> env,
                                   List<ApiServer.ExtraRoute> extraRoutes) {
        String token = env.get("KEYWATCH_ADMIN_TOKEN");
        boolean generated = token == null || token.isBlank();
        if (generated) {
            token = AdminToken.generate(new SecureRandom());
        }
        Standalone standalone = new Standalone(new HashMap<>(env), token, generated);
        try {
            standalone.startAll(settings, extraRoutes);
            return standalone;
        } catch (RuntimeException e) {
            standalone.close();
            throw e;
        }
    }

    private void startAll(StandaloneSettings settings, List<ApiServer.ExtraRoute> extraRoutes) {
        broker = remember(EmbeddedKafkaBroker.start(
                settings.dataDir().resolve("kafka"), settings.kafkaPort(), settings.controllerPort()));
        postgres = remember(EmbeddedPostgresServer.start(settings.dataDir().resolve("postgres"), settings.postgresPort()));

        Set<String> ignored = EmbeddedKafkaClientEnv.dropSecurity(serviceEnv);
        if (!ignored.isEmpty()) {
            log.warn("the embedded Kafka broker is PLAINTEXT on loopback: ignoring {} (meant for an external cluster)",
                    ignored);
        }
        serviceEnv.put("KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers());
        serviceEnv.put("KEYWATCH_DB_URL", postgres.jdbcUrl());
        // migrations as the superuser (the tables' owner), the service's pool as a role that owns nothing
        serviceEnv.put("KEYWATCH_DB_MIGRATION_USER", postgres.user());
        serviceEnv.put("KEYWATCH_DB_MIGRATION_PASSWORD", postgres.password());
        serviceEnv.put("KEYWATCH_DB_USER", postgres.appUser());
        serviceEnv.put("KEYWATCH_DB_PASSWORD", postgres.appPassword());
        serviceEnv.put("KEYWATCH_DB_APP_ROLE", postgres.appUser());
        serviceEnv.put("KEYWATCH_HTTP_PORT", String.valueOf(settings.httpPort()));
        serviceEnv.put("KEYWATCH_HTTP_HOST", settings.httpHost());
        serviceEnv.put("KEYWATCH_ADMIN_TOKEN", adminToken);
        serviceEnv.putIfAbsent("KEYWATCH_STREAMS_STATE_DIR", settings.dataDir().resolve("streams").toString());

        // one list for every in-process service: the API verifies what the topology signs and the reverse; from
        // KEYWATCH_RECORD_SIGNING_KEYS when set, else kept with the data (so a restart still verifies the topics)
        recordSigningKeys = RecordSigningKeys.fromEnv(serviceEnv);
        if (recordSigningKeys == null) {
            recordSigningKeys = FingerprintKeyFile.loadOrCreateSigningKeys(settings.dataDir());
        }
        StreamsSettings streamsSettings = StreamsSettings.fromEnv(serviceEnv).withRecordSigningKeys(recordSigningKeys);
        if (streamsSettings.secretFingerprintKey() == null) {
            // kept with the data, not put in serviceEnv: the simulator and the banner have no business with it
            streamsSettings = streamsSettings.withSecretFingerprintKey(
                    FingerprintKeyFile.loadOrCreate(settings.dataDir()));
        }
        // one registry for the process: the topology's metrics and the API's on the API's /metrics (README: Metrics)
        MetricsSettings metricsSettings = MetricsSettings.fromEnv(serviceEnv);
        PrometheusMeterRegistry registry = metricsSettings.enabled() ? remember(new ProcessMetrics()).registry() : null;
        streams = remember(new KeywatchStreamsService(streamsSettings, registry));
        streams.start();
        ApiSettings apiSettings = ApiSettings.fromEnv(serviceEnv).withRecordSigningKeys(recordSigningKeys);
        if (apiSettings.webhooks().secretKeys() == null) {
            // kept with the data (like the database it protects), not put in serviceEnv
            apiSettings = apiSettings.withWebhooks(apiSettings.webhooks()
                    .withSecretKeys(FingerprintKeyFile.loadOrCreateSecretKeys(settings.dataDir())));
        }
        api = remember(new AlertsApiService(apiSettings,
                null, () -> streams.state().name(), streams::restoringStores)
                .withListener(HttpListenerSettings.fromEnv(serviceEnv, settings.httpHost()))
                .withAlertStream(AlertStreamSettings.fromEnv(serviceEnv))
                .withLeastPrivilege(LeastPrivilegeSettings.fromEnv(serviceEnv))
                // the topology runs in this process: key usage is read from its own state
                .withUsageSource(new TopologyUsageSource(streams, streamsSettings.usageRetention()))
                .withExtraRoutes(extraRoutes));
        if (registry != null) {
            api.withMetrics(registry, metricsSettings);
        }
        api.start();
        log.info("keywatch is running");
    }

    private <T extends AutoCloseable> T remember(T component) {
        started.push(component);
        return component;
    }

    /** The environment the services were started with (embedded addresses included), for the simulator. */
    public Map<String, String> serviceEnv() {
        return Map.copyOf(serviceEnv);
    }

    /** The keys the services sign and verify keywatch's own records with (for an in-process KeyStatusCache). */
    public RecordSigningKeys recordSigningKeys() {
        return recordSigningKeys;
    }

    public String kafkaBootstrap() {
        return broker.bootstrapServers();
    }

    public String postgresUrl() {
        return postgres.jdbcUrl();
    }

    public int httpPort() {
        return api.port();
    }

    /** {@code https} when the API was given a certificate, else {@code http}. */
    public String httpScheme() {
        return api.tls() ? "https" : "http";
    }

    public String adminToken() {
        return adminToken;
    }

    public boolean adminTokenGenerated() {
        return tokenGenerated;
    }

    /** The key registry, for registering keys in-process (the demo does). */
    public KeyRegistry keyRegistry() {
        return api.keyRegistry();
    }

    public KeywatchStreamsService streams() {
        return streams;
    }

    /** Stops the services before the infrastructure they use, newest first (also from a shutdown hook, hence locked). */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                log.warn("Error while stopping {}: {}", component.getClass().getSimpleName(), e.toString(), e);
            }
        }
    }
}
