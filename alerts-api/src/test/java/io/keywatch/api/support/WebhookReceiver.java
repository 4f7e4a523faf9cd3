package io.keywatch.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A key issuer's webhook endpoint for tests: {@link HttpServer} on 127.0.0.1, recording every request per path and
 * answering from a per-path script (status, headers, delay); 200 once the script is used up.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    /** One request as it arrived. */
    public record Received(String path, Headers headers, byte[] body, Instant at) {

        public String webhookId() {
            return headers.getFirst("webhook-id");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String type() {
            return json().path("type").asText();
        }
    }

    /** How to answer one request. */
    public record Answer(int status, Map<String, String> headers, Duration delay, byte[] body) {

        public static Answer status(int status) {
            return new Answer(status, Map.of(), Duration.ZERO, null);
        }

        public static Answer slow(Duration delay) {
            return new Answer(200, Map.of(), delay, null);
        }

        public static Answer retryAfter(int status, String retryAfter) {
            return new Answer(status, Map.of("Retry-After", retryAfter), Duration.ZERO, null);
        }

        /** This status with exactly these body bytes (instead of {@code answered <status>}). */
        public static Answer withBody(int status, byte[] body) {
            return new Answer(status, Map.of(), Duration.ZERO, body);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> defaults = new ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** {@code http://127.0.0.1:<port><path>} */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to {@code path} get these answers, in order; later ones get the default. */
    public void script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /** What {@code path} answers once its script is used up (200 unless set). */
    public void answerByDefault(String path, Answer answer) {
        defaults.put(path, answer);
    }

    public List<Received> received(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    public List<Received> received(String path, String type) {
        return received(path).stream().filter(r -> r.type().equals(type)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                    .add(new Received(path, exchange.getRequestHeaders(), body, Instant.now()));
            Answer answer;
            Deque<Answer> script = scripts.get(path);
            synchronized (this) {
                answer = script == null || script.isEmpty() ? defaults.getOrDefault(path, Answer.status(200))
                        : script.poll();
            }
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body() != null ? answer.body()
                    : ("answered " + answer.status()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
