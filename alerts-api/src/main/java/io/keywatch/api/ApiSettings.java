package io.keywatch.api;

import io.keywatch.api.approvals.FourEyesSettings;
import io.keywatch.api.audit.AuditSettings;
import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.console.ConsoleSsoSettings;
import io.keywatch.api.db.MigrationCredentials;
import io.keywatch.api.health.HealthSettings;
import io.keywatch.api.http.AbuseLimits;
import io.keywatch.api.revocation.RevocationSettings;
import io.keywatch.api.tokens.TokenSettings;
import io.keywatch.api.webhooks.WebhookSettings;
import io.keywatch.events.Env;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.Severity;
import io.keywatch.events.Topics;
import io.keywatch.events.signing.RecordSigningKeys;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the alerts API needs to run, read from {@code KEYWATCH_*} environment variables.
 *
 * @param adminToken            bearer token required on {@code /api/}; null when not configured (the service then
 *                              refuses to start; the standalone generates one)
 * @param autoRevokeMinSeverity alerts at or above this severity revoke their key; null disables automatic revocation
 * @param alertAutoResolve      unresolved alerts without an occurrence for this long are resolved automatically;
 *                              zero disables it ({@code KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES})
 * @param revocation            which alerts revoke automatically, dry-run, the blast-radius guard
 *                              ({@code KEYWATCH_REVOKE_*}); {@code autoRevokeMinSeverity} null disables it all
 * @param webhooks              how webhooks are delivered ({@code KEYWATCH_WEBHOOK_*})
 * @param health                when the alert intake stops counting as ready ({@code KEYWATCH_HEALTH_*})
 * @param access                tokens, single sign-on, four eyes and abuse limits ({@link AccessSettings})
 * @param recordSigningKeys     verify the alerts, sign the key states ({@code KEYWATCH_RECORD_SIGNING_KEYS}); null
 *                              when not configured (the service then refuses to start)
 * @param kafkaClients          settings (SASL, TLS, tuning) for every Kafka client of the API, from
 *                              {@code KEYWATCH_KAFKA_CONFIG_*} and {@code KEYWATCH_API_KAFKA_CONFIG_*} over them
 * @param migration             the schema owner's credentials for the migrations ({@code KEYWATCH_DB_MIGRATION_*});
 *                              null: migrate with {@code dbUser} (which then owns the tables)
 */
public record ApiSettings(
        String kafkaBootstrap,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int httpPort,
        String adminToken,
        Severity autoRevokeMinSeverity,
        String consumerGroup,
        Topics topics,
        Duration alertAutoResolve,
        RevocationSettings revocation,
        WebhookSettings webhooks,
        HealthSettings health,
        AccessSettings access,
        RecordSigningKeys recordSigningKeys,
        KafkaClientConfig kafkaClients,
        MigrationCredentials migration) {

    public static final String DEFAULT_KAFKA_BOOTSTRAP = "localhost:9092";
    /** The API's own Kafka client settings, over {@value KafkaClientConfig#COMMON_PREFIX}* (see {@link KafkaClientConfig}). */
    public static final String KAFKA_CONFIG_PREFIX = "KEYWATCH_API_KAFKA_CONFIG_";
    public static final String DEFAULT_DB_URL = "jdbc:postgresql://localhost:5432/keywatch";
    public static final String DEFAULT_DB_USER = "keywatch";
    /** None: a documented default password invites a database that accepts it. */
    public static final String DEFAULT_DB_PASSWORD = "";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final Severity DEFAULT_AUTO_REVOKE_MIN_SEVERITY = Severity.CRITICAL;
    public static final String DEFAULT_CONSUMER_GROUP = "keywatch-alerts-api";
    public static final Duration DEFAULT_ALERT_AUTO_RESOLVE = Duration.ofMinutes(60);
    /** A week: longer quiet periods are almost certainly a unit mistake. */
    static final long MAX_AUTO_RESOLVE_MINUTES = 7 * 24 * 60;

    public ApiSettings {
        Env.requireText(kafkaBootstrap, "KEYWATCH_KAFKA_BOOTSTRAP");
        Env.requireText(dbUrl, "KEYWATCH_DB_URL");
        if (!dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "KEYWATCH_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got '" + dbUrl + "'");
        }
        Objects.requireNonNull(dbUser, "dbUser");
        Objects.requireNonNull(dbPassword, "dbPassword");
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_PORT must be between 0 and 65535, got " + httpPort);
        }
        if (adminToken != null && (adminToken.isBlank() || !adminToken.strip().equals(adminToken))) {
            throw new IllegalArgumentException(
                    "KEYWATCH_ADMIN_TOKEN must not be blank or start/end with whitespace");
        }
        Env.requireText(consumerGroup, "KEYWATCH_API_CONSUMER_GROUP");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(alertAutoResolve, "alertAutoResolve");
        if (alertAutoResolve.isNegative()) {
            throw new IllegalArgumentException("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES must not be negative");
        }
        Objects.requireNonNull(revocation, "revocation");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(kafkaClients, "kafkaClients");
    }

    /** Settings that migrate with the API's own database user. */
    public ApiSettings(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, int httpPort,
                       String adminToken, Severity autoRevokeMinSeverity, String consumerGroup, Topics topics,
                       Duration alertAutoResolve, RevocationSettings revocation, WebhookSettings webhooks,
                       HealthSettings health, AccessSettings access, RecordSigningKeys recordSigningKeys,
                       KafkaClientConfig kafkaClients) {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken, autoRevokeMinSeverity, consumerGroup,
                topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys, kafkaClients, null);
    }

    /** Settings without record signing keys and with no Kafka client settings beyond keywatch's own. */
    public ApiSettings(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, int httpPort,
                       String adminToken, Severity autoRevokeMinSeverity, String consumerGroup, Topics topics,
                       Duration alertAutoResolve, RevocationSettings revocation, WebhookSettings webhooks,
                       HealthSettings health, AccessSettings access) {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken, autoRevokeMinSeverity, consumerGroup,
                topics, alertAutoResolve, revocation, webhooks, health, access, null, KafkaClientConfig.NONE);
    }

    /** Settings with the default access settings ({@link AccessSettings#DEFAULTS}) and no record signing keys. */
    public ApiSettings(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, int httpPort,
                       String adminToken, Severity autoRevokeMinSeverity, String consumerGroup, Topics topics,
                       Duration alertAutoResolve, RevocationSettings revocation, WebhookSettings webhooks,
                       HealthSettings health) {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken, autoRevokeMinSeverity, consumerGroup,
                topics, alertAutoResolve, revocation, webhooks, health, AccessSettings.DEFAULTS);
    }

    /** Settings with the default health rules. */
    public ApiSettings(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, int httpPort,
                       String adminToken, Severity autoRevokeMinSeverity, String consumerGroup, Topics topics,
                       Duration alertAutoResolve, RevocationSettings revocation, WebhookSettings webhooks) {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken, autoRevokeMinSeverity, consumerGroup,
                topics, alertAutoResolve, revocation, webhooks, HealthSettings.DEFAULTS);
    }

    /** Settings with the default revocation policy and webhook delivery. */
    public ApiSettings(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, int httpPort,
                       String adminToken, Severity autoRevokeMinSeverity, String consumerGroup, Topics topics,
                       Duration alertAutoResolve) {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken, autoRevokeMinSeverity, consumerGroup,
                topics, alertAutoResolve, RevocationSettings.DEFAULTS, WebhookSettings.DEFAULTS);
    }

    /** Settings with the default auto-resolve period. */
    public ApiSettings(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, int httpPort,
                       String adminToken, Severity autoRevokeMinSeverity, String consumerGroup, Topics topics) {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken, autoRevokeMinSeverity, consumerGroup,
                topics, DEFAULT_ALERT_AUTO_RESOLVE);
    }

    /**
     * Settings from the environment; anything unset keeps its documented default. Unlike the other services, a blank
     * value is an error here, not the default. The password and the admin token are taken verbatim.
     */
    public static ApiSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        return new ApiSettings(
                env.text("KEYWATCH_KAFKA_BOOTSTRAP", DEFAULT_KAFKA_BOOTSTRAP),
                env.text("KEYWATCH_DB_URL", DEFAULT_DB_URL),
                env.text("KEYWATCH_DB_USER", DEFAULT_DB_USER),
                variables.getOrDefault("KEYWATCH_DB_PASSWORD", DEFAULT_DB_PASSWORD),
                env.port("KEYWATCH_HTTP_PORT", DEFAULT_HTTP_PORT),
                variables.get("KEYWATCH_ADMIN_TOKEN"),
                env.read("KEYWATCH_AUTO_REVOKE_MIN_SEVERITY", DEFAULT_AUTO_REVOKE_MIN_SEVERITY,
                        ApiSettings::severityOrNone, "a severity (one of " + Arrays.toString(Severity.values())
                                + ") or NONE/OFF to disable automatic revocation"),
                env.text("KEYWATCH_API_CONSUMER_GROUP", DEFAULT_CONSUMER_GROUP),
                Topics.fromEnv(variables),
                env.minutes("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", DEFAULT_ALERT_AUTO_RESOLVE,
                        MAX_AUTO_RESOLVE_MINUTES, "off"),
                RevocationSettings.fromEnv(variables),
                WebhookSettings.fromEnv(variables),
                HealthSettings.fromEnv(variables),
                AccessSettings.fromEnv(variables),
                RecordSigningKeys.fromEnv(variables),
                KafkaClientConfig.fromEnv(variables, KAFKA_CONFIG_PREFIX),
                MigrationCredentials.fromEnv(variables));
    }

    /** A copy with these record signing keys (null: none; the service then refuses to start). */
    public ApiSettings withRecordSigningKeys(RecordSigningKeys keys) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access,
                keys, kafkaClients, migration);
    }

    /** A copy that migrates as {@code credentials} (the schema's owner); null: as {@code dbUser}. */
    public ApiSettings withMigration(MigrationCredentials credentials) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access,
                recordSigningKeys, kafkaClients, credentials);
    }

    /** The settings every variable's default gives (no admin token). */
    public static ApiSettings defaults() {
        return fromEnv(Map.of());
    }

    public Optional<Severity> autoRevokeMinimum() {
        return Optional.ofNullable(autoRevokeMinSeverity);
    }

    /** The quiet period after which alerts resolve themselves; empty when auto-resolve is off. */
    public Optional<Duration> alertAutoResolvePeriod() {
        return alertAutoResolve.isZero() ? Optional.empty() : Optional.of(alertAutoResolve);
    }

    public Optional<String> adminTokenIfSet() {
        return Optional.ofNullable(adminToken);
    }

    public ApiSettings withAdminToken(String token) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, token,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withHttpPort(int port) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, port, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withKafkaBootstrap(String bootstrap) {
        return new ApiSettings(bootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withDatabase(String url, String user, String password) {
        return new ApiSettings(kafkaBootstrap, url, user, password, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withAutoRevokeMinSeverity(Severity minimum) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                minimum, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withConsumerGroup(String group) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, group, topics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withTopics(Topics newTopics) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, newTopics, alertAutoResolve, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    /** Zero turns automatic resolution off. */
    public ApiSettings withAlertAutoResolve(Duration quiet) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, quiet, revocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withRevocation(RevocationSettings newRevocation) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, newRevocation, webhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withWebhooks(WebhookSettings newWebhooks) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, newWebhooks, health, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withHealth(HealthSettings newHealth) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, newHealth, access, recordSigningKeys,
                kafkaClients, migration);
    }

    public ApiSettings withAccess(AccessSettings newAccess) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, newAccess,
                recordSigningKeys, kafkaClients, migration);
    }

    public ApiSettings withKafkaClients(KafkaClientConfig newKafkaClients) {
        return new ApiSettings(kafkaBootstrap, dbUrl, dbUser, dbPassword, httpPort, adminToken,
                autoRevokeMinSeverity, consumerGroup, topics, alertAutoResolve, revocation, webhooks, health, access,
                recordSigningKeys, newKafkaClients, migration);
    }

    public ApiSettings withTokens(TokenSettings tokens) {
        return withAccess(access.withTokens(tokens));
    }

    public ApiSettings withOidc(OidcSettings oidc) {
        return withAccess(access.withOidc(oidc));
    }

    public ApiSettings withFourEyes(FourEyesSettings fourEyes) {
        return withAccess(access.withFourEyes(fourEyes));
    }

    /** A copy that grants {@code role} what the API needs after every migration ({@code KEYWATCH_DB_APP_ROLE}). */
    public ApiSettings withDbAppRole(String role) {
        return withAccess(access.withAudit(new AuditSettings(role)));
    }

    public ApiSettings withAbuseLimits(AbuseLimits abuse) {
        return withAccess(access.withAbuse(abuse));
    }

    public TokenSettings tokens() {
        return access.tokens();
    }

    public ApiSettings withConsoleSso(ConsoleSsoSettings consoleSso) {
        return withAccess(access.withConsoleSso(consoleSso));
    }

    public ConsoleSsoSettings consoleSso() {
        return access.consoleSso();
    }

    public OidcSettings oidc() {
        return access.oidc();
    }

    public FourEyesSettings fourEyes() {
        return access.fourEyes();
    }

    public AbuseLimits abuse() {
        return access.abuse();
    }

    /** {@code KEYWATCH_DB_APP_ROLE}: the role granted what the API needs after every migration; null: none. */
    public String dbAppRole() {
        return access.audit().appRole();
    }

    /** Secrets stay out of logs: the token and the password are masked. */
    @Override
    public String toString() {
        return "ApiSettings[kafkaBootstrap=" + kafkaBootstrap + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser
                + ", dbPassword=***, httpPort=" + httpPort + ", adminToken=" + (adminToken == null ? "unset" : "***")
                + ", autoRevokeMinSeverity=" + (autoRevokeMinSeverity == null ? "NONE" : autoRevokeMinSeverity)
                + ", consumerGroup=" + consumerGroup + ", topics=" + topics
                + ", alertAutoResolve=" + (alertAutoResolve.isZero() ? "off" : alertAutoResolve)
                + ", revocation=" + revocation + ", webhooks=" + webhooks + ", health=" + health
                + ", access=" + access + ", recordSigningKeys=" + recordSigningKeys + ", kafkaClients=" + kafkaClients
                + ", migration=" + (migration == null ? "as dbUser" : migration) + "]";
    }

    /** Null (no automatic revocation) for NONE or OFF. */
    private static Severity severityOrNone(String text) {
        String normalized = text.toUpperCase(Locale.ROOT);
        return normalized.equals("NONE") || normalized.equals("OFF") ? null : Severity.parse(normalized);
    }
}
