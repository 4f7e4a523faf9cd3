package io.keywatch.api.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Env;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key usage from a topology running in another process ({@code keywatch streams}): its health server answers
 * {@code GET /usage/{keyId}?from=&to=} from its own state, forwarding to the instance that hosts the key, for callers
 * with the shared token. Configured by {@value #URL_VAR} and {@value #TOKEN_VAR}.
 */
public final class HttpUsageSource implements UsageSource {

    public static final String URL_VAR = "KEYWATCH_STREAMS_QUERY_URL";
    public static final String TOKEN_VAR = "KEYWATCH_STREAMS_QUERY_TOKEN";
    static final String RETENTION_VAR = "KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** 1,440 minutes of usage are a few hundred KiB: far more is not an answer of keywatch's. */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final URI base;
    private final String token;
    private final Duration retention;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public HttpUsageSource(URI base, String token, Duration retention, ObjectMapper json) {
        this.base = base;
        this.token = token;
        this.retention = retention;
        this.json = json;
    }

    /**
     * The source {@value #URL_VAR} names, with {@value #TOKEN_VAR} (required with it); empty when no URL is set.
     *
     * @throws IllegalArgumentException naming the variable when one is bad or the token is missing
     */
    public static Optional<UsageSource> fromEnv(Map<String, String> variables, ObjectMapper json) {
        Env env = Env.strict(variables);
        String url = env.text(URL_VAR, null);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        URI base;
        try {
            base = URI.create(url.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL_VAR + " must be an http(s) URL such as http://streams:8081");
        }
        if (base.getHost() == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw new IllegalArgumentException(URL_VAR + " must be an http(s) URL such as http://streams:8081");
        }
        String token = variables.get(TOKEN_VAR);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(TOKEN_VAR + " must be set with " + URL_VAR
                    + " (the same value as the streams service's)");
        }
        Duration retention = Duration.ofMinutes(env.integer(RETENTION_VAR, 120, 1, 7 * 24 * 60));
        return Optional.of(new HttpUsageSource(base, token.strip(), retention, json));
    }

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public Duration retention() {
        return retention;
    }

    @Override
    public List<UsageMinute> minutes(String keyId, Instant from, Instant to) {
        URI uri = URI.create(base + "/usage/" + URLEncoder.encode(keyId, StandardCharsets.UTF_8).replace("+", "%20")
                + "?from=" + from + "&to=" + to);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // read at most one byte past the cap: a peer that sends more is refused without holding it all
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (IOException e) {
            throw new UsageUnavailableException("the topology's query server (" + URL_VAR + ") cannot be reached",
                    RETRY_AFTER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageUnavailableException("interrupted", RETRY_AFTER, e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new UsageUnavailableException("the topology's query server refused " + TOKEN_VAR
                    + " (set the same value on both)", RETRY_AFTER, null);
        }
        if (status != 200) {
            Duration retry = response.headers().firstValueAsLong("Retry-After").stream()
                    .mapToObj(Duration::ofSeconds).findFirst().orElse(RETRY_AFTER);
            throw new UsageUnavailableException("the topology's query server answered " + status, retry, null);
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw new UsageUnavailableException("the topology's query server answered more than "
                    + MAX_ANSWER_BYTES + " bytes", RETRY_AFTER, null);
        }
        try {
            JsonNode minutes = json.readTree(body).path("minutes");
            List<UsageMinute> out = new ArrayList<>(minutes.size());
            for (JsonNode minute : minutes) {
                out.add(json.treeToValue(minute, UsageMinute.class));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageUnavailableException("the topology's query server answered something else than usage",
                    RETRY_AFTER, e);
        }
    }
}
