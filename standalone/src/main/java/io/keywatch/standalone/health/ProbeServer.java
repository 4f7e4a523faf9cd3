package io.keywatch.standalone.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keywatch.api.health.HealthController;
import io.keywatch.api.metrics.MetricsController;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.events.KeywatchJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}, {@code /health/live} and {@code /health/ready} for a process that has no API of its own (the
 * {@code streams} service run alone): the same reports, statuses and codes as the API's health routes
 * ({@link HealthController}), so one probe configuration fits both. Nothing else is served; no request body is read.
 */
public final class ProbeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProbeServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} (0: any free port) on every interface and starts answering.
     *
     * @throws IOException when the port cannot be bound
     */
    public static ProbeServer start(int port, HealthController health) throws IOException {
        return start(port, health, null);
    }

    /**
     * As {@link #start(int, HealthController)}, also answering the API's usage queries on {@code /usage/} when
     * {@code usage} is given (a token is configured).
     */
    public static ProbeServer start(int port, HealthController health, UsageQueryRoute usage) throws IOException {
        return start(port, health, usage, null);
    }

    /** What {@code GET /metrics} serves here (README: Metrics): the process' registry, behind its settings. */
    public record Metrics(PrometheusMeterRegistry registry, MetricsSettings settings) {
    }

    /**
     * As {@link #start(int, HealthController, UsageQueryRoute)}, also serving {@code /metrics} when {@code metrics}
     * is given.
     */
    public static ProbeServer start(int port, HealthController health, UsageQueryRoute usage, Metrics metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        // a few threads: a usage query may wait on another instance, and probes must not wait behind it
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "keywatch-health-probes");
            thread.setDaemon(true);
            return thread;
        });
        ProbeServer probes = new ProbeServer(server, executor);
        server.createContext("/", exchange -> probes.answer(exchange, health, usage, metrics));
        server.setExecutor(executor);
        server.start();
        LOG.info("health probes on port {}: /health, /health/live, /health/ready{}", probes.port(),
                metrics != null ? ", /metrics" : "");
        return probes;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange, HealthController health, UsageQueryRoute usage, Metrics metrics)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (usage != null && path.startsWith("/usage/") && "GET".equals(exchange.getRequestMethod())) {
                usage.answer(exchange);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, Map.of("title", "Method Not Allowed", "status", 405,
                        "detail", "the health routes answer GET only"));
                return;
            }
            switch (path) {
                case "/health" -> {
                    HealthController.HealthReport report = health.report();
                    send(exchange, report.status().equals("DOWN") ? 503 : 200, report);
                }
                case "/health/live" -> probe(exchange, health.liveness());
                case "/health/ready" -> probe(exchange, health.readiness());
                case "/metrics" -> {
                    if (metrics == null) {
                        send(exchange, 404, Map.of("title", "Not Found", "status", 404,
                                "detail", "metrics are off (KEYWATCH_METRICS_ENABLED)"));
                    } else {
                        scrape(exchange, metrics);
                    }
                }
                default -> send(exchange, 404, Map.of("title", "Not Found", "status", 404,
                        "detail", "only /health, /health/live, /health/ready and /metrics are served here"));
            }
        } catch (RuntimeException e) {
            // a check that throws must not take the probe thread with it; the checks themselves never should
            LOG.warn("health probe failed: {}", e.toString());
        }
    }

    private void scrape(HttpExchange exchange, Metrics metrics) throws IOException {
        if (!metrics.settings().authorizes(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"keywatch-metrics\"");
            send(exchange, 401, Map.of("title", "Unauthorized", "status", 401,
                    "detail", "/metrics needs the scrape token (KEYWATCH_METRICS_TOKEN) as a bearer token"));
            return;
        }
        byte[] bytes = metrics.registry().scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", MetricsController.CONTENT_TYPE);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void probe(HttpExchange exchange, HealthController.ProbeReport report) throws IOException {
        send(exchange, report.passed() ? 200 : 503, report);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops answering; a second call does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
