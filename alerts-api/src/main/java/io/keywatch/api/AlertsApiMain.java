package io.keywatch.api;

import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.alerts.stream.AlertStreamSettings;
import io.keywatch.api.leastprivilege.LeastPrivilegeSettings;
import io.keywatch.api.http.HttpListenerSettings;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.api.metrics.ProcessMetrics;
import io.keywatch.api.usage.HttpUsageSource;
import io.keywatch.api.usage.UsageSource;
import io.keywatch.events.KeywatchJson;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the alerts API alone, configured by {@code KEYWATCH_*} environment variables (see {@link ApiSettings}). */
public final class AlertsApiMain {

    private static final Logger LOG = LoggerFactory.getLogger(AlertsApiMain.class);

    private AlertsApiMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApiSettings settings;
        HttpListenerSettings listener;
        AlertStreamSettings alertStream;
        LeastPrivilegeSettings leastPrivilege;
        Optional<UsageSource> usage;
        MetricsSettings metrics;
        try {
            settings = ApiSettings.fromEnv(System.getenv());
            // a service in its own container: reachable on every interface unless told otherwise
            listener = HttpListenerSettings.fromEnv(System.getenv(), HttpListenerSettings.ALL_INTERFACES);
            alertStream = AlertStreamSettings.fromEnv(System.getenv());
            leastPrivilege = LeastPrivilegeSettings.fromEnv(System.getenv());
            // the topology runs in another process: its health server answers usage queries, if configured
            usage = HttpUsageSource.fromEnv(System.getenv(), KeywatchJson.newMapper());
            metrics = MetricsSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.adminTokenIfSet().isEmpty()) {
            LOG.error("KEYWATCH_ADMIN_TOKEN is not set; the alerts API does not run without authentication");
            System.exit(2);
            return;
        }
        AlertsApiService service = new AlertsApiService(settings).withListener(listener)
                .withAlertStream(alertStream).withLeastPrivilege(leastPrivilege);
        usage.ifPresent(service::withUsageSource);
        if (metrics.enabled()) {
            // the process' one registry, made here and passed down (README: Metrics)
            service.withMetrics(new ProcessMetrics().registry(), metrics);
        }
        try {
            service.start();
        } catch (RuntimeException e) {
            LOG.error("Alerts API failed to start: {}", LoggedFailure.describe(e), LoggedFailure.of(e));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "keywatch-alerts-api-shutdown"));
        stopped.await();
    }
}
