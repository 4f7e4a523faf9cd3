package io.keywatch.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to the real server over HTTP, as a client of the API would. */
public final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final String baseUrl;
    private final String token;
    private final String actor;

    /** A response with its body parsed as JSON (null when the body is not JSON). */
    public record Response(int status, String contentType, String body, JsonNode json) {
    }

    public ApiClient(int port, String token) {
        this(port, token, null);
    }

    private ApiClient(int port, String token, String actor) {
        this.baseUrl = "http://localhost:" + port;
        this.token = token;
        this.actor = actor;
    }

    public ApiClient withToken(String otherToken) {
        return new ApiClient(port(), otherToken, actor);
    }

    /**
     * A client that names the person behind its calls in X-Keywatch-Actor: an "on behalf of" note stored beside the
     * token's identity, never instead of it.
     */
    public ApiClient withActor(String name) {
        return new ApiClient(port(), token, name);
    }

    private int port() {
        return Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
    }

    public Response put(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response method(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (actor != null) {
            builder.header("X-Keywatch-Actor", actor);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException stale) {
                // a pooled connection the server closed after an earlier error answer (Jetty does not read the body
                // of a request it refuses): the request never reached the server, so once more, on a new connection
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode node = null;
            if (type.startsWith("application/json") && !response.body().isEmpty()) {
                node = json.readTree(response.body());
            }
            // what the OpenAPI document must describe (OpenApiConformance checks it when the test class ends)
            RecordedResponses.shared().record(request.method(), request.uri().getRawPath(), response.statusCode(), type, response.body());
            return new Response(response.statusCode(), type, response.body(), node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
