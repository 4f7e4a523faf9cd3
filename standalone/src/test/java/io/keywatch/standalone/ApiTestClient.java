package io.keywatch.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Talks to a running keywatch API the way a security team's script would: plain HTTP and JSON. */
final class ApiTestClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final String baseUrl;
    private final String token;

    ApiTestClient(int port, String token) {
        this.baseUrl = "http://localhost:" + port;
        this.token = token;
    }

    /** The alerts matching the filters (first page, up to 500). */
    List<JsonNode> alerts(Map<String, String> filters) {
        String query = filters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        JsonNode page = get("/api/v1/alerts?limit=500" + (query.isEmpty() ? "" : "&" + query));
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }

    JsonNode key(String keyId) {
        return get("/api/v1/keys/" + URLEncoder.encode(keyId, StandardCharsets.UTF_8));
    }

    /** Registers a key; returns the HTTP status. */
    int putKey(String keyId, Object registryEntry) {
        return send("PUT", "/api/v1/keys/" + URLEncoder.encode(keyId, StandardCharsets.UTF_8), registryEntry).statusCode();
    }

    /** Subscribes a webhook endpoint; returns the response body, which carries the signing secret once. */
    JsonNode subscribe(String url, List<String> eventTypes) {
        HttpResponse<String> response = send("POST", "/api/v1/webhooks", Map.of("url", url, "eventTypes", eventTypes));
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs a JSON body; returns the response body (a JSON object with "status" for errors). */
    JsonNode post(String path, Object body) {
        try {
            return json.readTree(send("POST", path, body).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of a GET; a JSON object with "status" for errors such as 404. */
    JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
