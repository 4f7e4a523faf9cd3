package io.keywatch.standalone.health;

import io.keywatch.api.health.HealthCheck;
import io.keywatch.api.health.HealthController;
import io.keywatch.api.health.StreamsHealthCheck;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.api.metrics.ProcessMetrics;
import io.keywatch.events.Env;
import io.keywatch.standalone.TopologyUsageSource;
import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.StreamsSettings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code keywatch streams}: the detection topology alone against an external Kafka, configured by environment
 * variables ({@link StreamsSettings}), with the health routes on {@value #HEALTH_PORT_VAR} so that an orchestrator can
 * tell a rebalancing or restoring instance (not ready) from a dead one (not live).
 */
public final class StreamsAlone {

    public static final String HEALTH_PORT_VAR = "KEYWATCH_STREAMS_HEALTH_PORT";
    public static final int DEFAULT_HEALTH_PORT = 8081;

    private static final Logger LOG = LoggerFactory.getLogger(StreamsAlone.class);

    private StreamsAlone() {
    }

    /** Runs until the JVM is asked to stop; the exit code: 0 after a clean stop, 1 when it cannot start, 2 when misconfigured. */
    public static int run(Map<String, String> env) throws InterruptedException {
        StreamsSettings settings;
        int healthPort;
        MetricsSettings metricsSettings;
        try {
            settings = StreamsSettings.fromEnv(env);
            healthPort = Env.of(env).port(HEALTH_PORT_VAR, DEFAULT_HEALTH_PORT);
            metricsSettings = MetricsSettings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            return 2;
        }
        // the process' one registry, served on the health port's /metrics (README: Metrics)
        ProcessMetrics metrics = metricsSettings.enabled() ? new ProcessMetrics() : null;
        KeywatchStreamsService service = new KeywatchStreamsService(settings,
                metrics == null ? null : metrics.registry());
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("streams", new StreamsHealthCheck(() -> service.state().name(), service::restoringStores));
        ProbeServer probes;
        try {
            String queryToken = env.get(UsageQueryRoute.TOKEN_VAR);
            // the API in another process asks this server for key usage, with the shared token; none, no route
            UsageQueryRoute usage = queryToken == null || queryToken.isBlank() ? null
                    : new UsageQueryRoute(new TopologyUsageSource(service, settings.usageRetention()),
                            service::usageHostElsewhere, queryToken.strip());
            probes = ProbeServer.start(healthPort, new HealthController(checks), usage,
                    metrics == null ? null : new ProbeServer.Metrics(metrics.registry(), metricsSettings));
        } catch (IOException e) {
            LOG.error("cannot serve the health routes on port {} ({}): {}", healthPort, HEALTH_PORT_VAR, e.toString());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
                probes.close();
            } finally {
                stopped.countDown();
            }
        }, "keywatch-streams-shutdown"));
        try {
            service.start();
        } catch (RuntimeException e) {
            LOG.error("keywatch streams could not start against Kafka at {}", settings.bootstrapServers(), e);
            probes.close();
            return 1;
        }
        LOG.info("keywatch streams started: reading {}, writing alerts to {} and rejects to {}",
                settings.topics().usageEvents(), settings.topics().alerts(), settings.topics().usageEventsDlq());
        stopped.await();
        return 0;
    }
}
