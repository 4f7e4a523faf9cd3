package io.keywatch.tools.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The key issuer's endpoint on loopback: tells the bench the arrival time of each signed delivery, by key. */
final class WebhookReceiver implements AutoCloseable {

    private static final Pattern KEY_ID = Pattern.compile("\"keyId\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;

    /** @param onDelivery (keyId, System.nanoTime() at arrival) for each signed delivery naming a key */
    WebhookReceiver(BiConsumer<String, Long> onDelivery) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hooks", exchange -> {
            try (exchange) {
                long arrived = System.nanoTime();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Matcher key = KEY_ID.matcher(body);
                if (exchange.getRequestHeaders().getFirst("webhook-signature") != null && key.find()) {
                    onDelivery.accept(key.group(1), arrived);
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
