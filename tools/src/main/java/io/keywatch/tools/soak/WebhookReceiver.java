package io.keywatch.tools.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key issuer's webhook endpoint inside the soak: a JDK HTTP server on a loopback ephemeral port that answers 204 to
 * every POST and keeps each delivery's {@code webhook-id}, event type and key id, and whether its Standard Webhooks
 * signature verified with the subscription's secret (set once the API has returned it).
 */
final class WebhookReceiver implements AutoCloseable {

    static final String PATH = "/soak-webhooks";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    /** One delivery as received. */
    record Delivery(String webhookId, String type, String keyId, boolean signatureValid) {
    }

    private final ObjectMapper json = KeywatchJson.newMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "soak-webhooks"));
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile byte[] secret;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The URL to subscribe. */
    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + PATH;
    }

    /** The signing secret as the API returned it ({@code whsec_<base64>}); kept only in memory, never printed. */
    void secret(String whsec) {
        this.secret = Base64.getDecoder().decode(whsec.startsWith("whsec_") ? whsec.substring(6) : whsec);
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            String type = "";
            String keyId = "";
            try {
                JsonNode event = json.readTree(body);
                type = event.path("type").asText("");
                keyId = event.path("data").path("keyId").asText("");
            } catch (IOException e) {
                type = "unreadable";
            }
            Delivery delivery = new Delivery(id == null ? "" : id, type, keyId, verifies(id, timestamp, signatures, body));
            synchronized (this) {
                deliveries.add(delivery);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Standard Webhooks v1: HMAC-SHA256 over {@code id.timestamp.body}, any of the space-separated signatures. */
    private boolean verifies(String id, String timestamp, String signatures, byte[] body) {
        byte[] key = secret;
        if (key == null || id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
            for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                        signature.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
