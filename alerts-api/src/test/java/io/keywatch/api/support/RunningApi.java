package io.keywatch.api.support;

import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The whole API service on the shared embedded PostgreSQL and Kafka ({@link TestServices#settings}: its own database,
 * topics and consumer group), with an HTTP client and Kafka clients for its topics; started once per test class.
 */
public record RunningApi(ApiSettings settings, HikariDataSource dataSource, AlertsApiService service, ApiClient api,
                         KafkaTestClients kafka) implements AutoCloseable {

    public static RunningApi start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        return start(postgres, broker, UnaryOperator.identity(), List.of());
    }

    /** With the test settings changed by {@code adjust} (e.g. webhooks to the in-test receiver). */
    public static RunningApi start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker,
                                   UnaryOperator<ApiSettings> adjust) {
        return start(postgres, broker, adjust, List.of());
    }

    /**
     * @param tune           changes to the test settings (e.g. four eyes on)
     * @param authenticators credentials accepted besides the admin token, e.g. distinct identities for four-eyes tests
     */
    public static RunningApi start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker,
                                   UnaryOperator<ApiSettings> tune, List<Authenticator> authenticators) {
        ApiSettings settings = tune.apply(TestServices.settings(postgres, broker));
        HikariDataSource dataSource = DataSources.pooled(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        // with metrics, as in production: /metrics is one of its routes (documented, access-checked) and every request
        // passes the request metrics; a bare registry (ProcessMetrics' JVM binders would outlive the test class)
        AlertsApiService service = new AlertsApiService(settings, dataSource, null)
                .withMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsSettings.DEFAULTS)
                .withAuthenticators(authenticators).start();
        return new RunningApi(settings, dataSource, service, new ApiClient(service.port(), TestServices.TOKEN),
                new KafkaTestClients(broker.bootstrapServers()));
    }

    @Override
    public void close() {
        kafka.close();
        service.close();
        dataSource.close();
    }
}
