package io.keywatch.standalone.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keywatch.api.http.HealthController;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        // a few threads: a usage query may wait on another instance, and probes must not wait behind it
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "keywatch-health-probes");
            thread.setDaemon(true);
            return thread;
        });
        ProbeServer probes = new ProbeServer(server, executor);
        server.createContext("/", exchange -> probes.answer(exchange, health, usage));
        server.setExecutor(executor);
        server.start();
        LOG.info("health probes on port {}: /health, /health/live, /health/ready", probes.port());
        return probes;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange, HealthController health, UsageQueryRoute usage) throws IOException {
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
                default -> send(exchange, 404, Map.of("title", "Not Found", "status", 404,
                        "detail", "only /health, /health/live and /health/ready are served here"));
            }
        } catch (RuntimeException e) {
            // a check that throws must not take the probe thread with it; the checks themselves never should
            LOG.warn("health probe failed: {}", e.toString());
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
