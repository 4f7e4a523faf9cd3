package io.keywatch.standalone.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keywatch canary --planted-at ...}: mints a canary key id through the API ({@code POST
 * /api/v1/keys/canaries}) at {@code KEYWATCH_API_URL} with the admin token in {@code KEYWATCH_API_TOKEN}, and prints
 * the id.
 */
@Command(name = "canary", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 2,
        description = "Mints a canary (decoy) key id that looks like the registry's real ones and registers it. "
                + "Calls the API at KEYWATCH_API_URL (default http://localhost:8080) with the admin token in "
                + "KEYWATCH_API_TOKEN. Plant it with a plausible decoy secret next to it: an id alone is no bait.")
public final class CanaryCommand implements Callable<Integer> {

    /** An error body is shown cut to this, escaped. */
    private static final int MAX_ERROR_ECHO = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--planted-at", required = true, paramLabel = "<where>",
            description = "Where the decoy will be planted, e.g. github.com/acme/old-infra/.env (shown in its alerts).")
    String plantedAt;

    @Option(names = "--prefix", paramLabel = "<prefix>",
            description = "The id's prefix (e.g. pk_live_) instead of the one learned from the registry.")
    String prefix;

    @Option(names = "--owner", paramLabel = "<owner>", description = "The canary's owner in the registry.")
    String owner;

    @Option(names = "--service", paramLabel = "<service>", description = "The service it pretends to be a key of.")
    String service;

    @Option(names = "--scope", paramLabel = "<scope>", description = "A scope it pretends to hold; repeatable.")
    List<String> scopes;

    /** The environment settings are read from; tests replace it. */
    Map<String, String> baseEnv = System.getenv();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApiClientSettings settings;
        try {
            settings = ApiClientSettings.fromEnv(baseEnv);
        } catch (IllegalArgumentException e) {
            err.println("keywatch canary: " + e.getMessage());
            err.flush();
            return 2;
        }
        ObjectMapper json = KeywatchJson.newMapper();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("plantedAt", plantedAt);
        putIfSet(body, "prefix", prefix);
        putIfSet(body, "owner", owner);
        putIfSet(body, "service", service);
        putIfSet(body, "scopes", scopes);
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/api/v1/keys/canaries"))
                .header("Authorization", "Bearer " + settings.token())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            err.println("keywatch canary: the API answered " + response.statusCode() + ": "
                    + SafeText.escape(message(json, response.body()), MAX_ERROR_ECHO));
            err.flush();
            return 1;
        }
        JsonNode key = json.readTree(response.body());
        out.println(key.path("keyId").asText());
        out.flush();
        return 0;
    }

    private static void putIfSet(Map<String, Object> body, String name, Object value) {
        if (value != null) {
            body.put(name, value);
        }
    }

    /** The API's error message, or the body as it came when it is not the API's JSON. */
    private static String message(ObjectMapper json, String body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.hasNonNull("message") ? node.get("message").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }
}
