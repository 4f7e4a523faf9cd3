package io.keywatch.api.docs;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.OpenApiConformance;
import io.keywatch.api.support.RecordedResponses.Exchange;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #16 part 2: the OpenAPI document at {@code /openapi.json} is valid OpenAPI 3.1, documents exactly the routes
 * the server registers (same method, same path template, same role), and is served, with its reference page, to
 * anyone and from the jar alone. That real answers validate against it is checked for every API test class by
 * {@link SharedInfra} ({@link OpenApiConformance}); the last tests here show that check does fail on drift.
 */
@ExtendWith(SharedInfra.class)
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningApi running;
    private static JsonNode document;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker);
        document = OpenApiConformance.document();
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document.toString(), null, options);
        assertThat(result.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void everyRegisteredRouteIsDocumentedWithItsRoleAndNothingElseIs() {
        Set<String> registered = running.service().routes().stream()
                .map(r -> r.method() + " " + r.path() + " -> " + (r.role() == null ? "public" : r.role().label()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> operation : operations()) {
            if (!operation.getValue().path("x-keywatch-static-files").asBoolean()) {
                documented.add(operation.getKey() + " -> " + operation.getValue().path("x-keywatch-role").asText());
            }
        }
        assertThat(documented).as("operations of the OpenAPI document vs. the routes the server registers;"
                + " document a new route in alerts-api/src/main/resources/openapi/openapi.json").isEqualTo(registered);
    }

    @Test
    void everyOperationDocumentsItsErrorsWithTheOneErrorShape() {
        for (Map.Entry<String, JsonNode> operation : operations()) {
            JsonNode responses = operation.getValue().path("responses");
            if (!operation.getKey().contains(" /api/")) {
                continue;
            }
            for (String status : List.of("400", "401", "403", "429", "500")) {
                assertThat(responses.path(status).path("$ref").asText()).as(operation.getKey() + " " + status)
                        .startsWith("#/components/responses/");
            }
            assertThat(operation.getValue().path("security").toString()).as(operation.getKey())
                    .contains("bearer");
        }
        assertThat(document.at("/components/schemas/Error/required").toString())
                .isEqualTo("[\"status\",\"error\",\"message\"]");
    }

    @Test
    void everyExampleValidatesAgainstItsSchema() {
        OpenApiConformance check = OpenApiConformance.load();
        assertThat(check.examplesThatDoNotValidate()).isEmpty();
        assertThat(document.at("/paths/~1api~1v1~1alerts/get/responses/200/content/application~1json/example")
                .isMissingNode()).as("the main routes have examples").isFalse();
    }

    @Test
    void theStaticPagesTheDocumentNamesAreServed() {
        ApiClient anonymous = running.api().withToken(null);
        for (Map.Entry<String, JsonNode> operation : operations()) {
            if (operation.getValue().path("x-keywatch-static-files").asBoolean()) {
                Response page = assertOk(anonymous.get(operation.getKey().substring("GET ".length())), 200);
                assertThat(page.contentType()).as(operation.getKey()).startsWith("text/html");
            }
        }
    }

    @Test
    void theDocumentIsServedToAnyoneAsItIsInTheJar() throws Exception {
        Response served = assertOk(running.api().withToken(null).get(OpenApiController.PATH), 200);
        assertThat(served.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(served.body())).isEqualTo(document);
    }

    @Test
    void theReferencePageLoadsOnlyFilesFromThisServerUnderTheConsolePolicy() {
        ApiClient anonymous = running.api().withToken(null);
        Response page = assertOk(anonymous.get("/docs/"), 200);
        assertThat(page.body()).contains("/openapi.json").doesNotContain("<script>").doesNotContain("<style")
                .doesNotContain("http://").doesNotContain("https://");
        Matcher assets = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
        List<String> paths = new ArrayList<>();
        while (assets.find()) {
            paths.add(assets.group(1));
        }
        assertThat(paths).contains("/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js", "/docs/docs.js");
        for (String path : paths) {
            assertOk(anonymous.get(path), 200);
        }
        // the page runs under the console's Content-Security-Policy: no inline script, nothing from elsewhere
        HttpHeaders headers = headersOf("/docs/");
        assertThat(headers.firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .contains("connect-src 'self'");
        assertThat(assertOk(anonymous.get("/docs/docs.js"), 200).body()).contains("validatorUrl: null");
    }

    @Test
    void theConformanceCheckFailsAnAnswerThatDriftedFromTheDocument() {
        OpenApiConformance check = OpenApiConformance.load();
        String error = "{\"status\":404,\"error\":\"Not Found\",\"message\":\"no alert with id 'x'\"}";
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts/x", 404, "application/json", error))))
                .isEmpty();
        // a field renamed, a status nobody documented, an error with an extra field, a wrong content type
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts/x", 404, "application/json",
                error.replace("\"message\"", "\"msg\""))))).singleElement().asString().contains("schema");
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts/x", 418, "application/json", error))))
                .singleElement().asString().contains("status not documented");
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts/x", 404, "application/json",
                error.replace("}", ",\"stack\":\"...\"}"))))).hasSize(1);
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts/x", 404, "text/html", "<p>"))))
                .singleElement().asString().contains("content type");
        // "stream" is a literal segment: the stream's answer is not checked as an alert
        assertThat(check.templateOf("/api/v1/alerts/stream")).contains("/api/v1/alerts/stream");
        assertThat(check.templateOf("/api/v1/alerts/al_1/history")).contains("/api/v1/alerts/{id}/history");
    }

    @Test
    void theConformanceCheckFailsAListWhoseItemsLostARequiredField() {
        OpenApiConformance check = OpenApiConformance.load();
        String page = "{\"items\":[{\"id\":\"a1\",\"rule\":\"VOLUME_SPIKE\",\"severity\":\"HIGH\",\"keyId\":\"k\","
                + "\"status\":\"OPEN\",\"occurrences\":1,\"firstSeen\":\"2026-11-28T10:15:00Z\","
                + "\"lastSeen\":\"2026-11-28T10:15:00Z\",\"silenced\":false}],\"nextCursor\":null}";
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts", 200, "application/json", page))))
                .isEmpty();
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts", 200, "application/json",
                page.replace("\"severity\":\"HIGH\",", ""))))).singleElement().asString().contains("severity");
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts", 200, "application/json",
                page.replace("\"HIGH\"", "\"SEVERE\""))))).hasSize(1);
    }

    @Test
    void theConformanceCheckTellsASummaryPageFromAFullOneAndAcceptsNeitherMixedUp() {
        OpenApiConformance check = OpenApiConformance.load();
        String summary = "{\"items\":[{\"id\":\"a1\",\"rule\":\"VOLUME_SPIKE\",\"severity\":\"HIGH\","
                + "\"keyId\":\"k\",\"status\":\"OPEN\",\"resolution\":null,\"occurrences\":1,"
                + "\"detectedAt\":\"2026-11-28T10:15:00Z\",\"lastSeen\":\"2026-11-28T10:15:00Z\",\"silenced\":false}],"
                + "\"nextCursor\":null}";
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts", 200, "application/json", summary))))
                .isEmpty();
        // a summary item that carries a full alert's field, or lost one of its own, is drift
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts", 200, "application/json",
                summary.replace("\"silenced\":false", "\"silenced\":false,\"evidence\":{}"))))).hasSize(1);
        assertThat(check.problems(List.of(new Exchange("GET", "/api/v1/alerts", 200, "application/json",
                summary.replace("\"detectedAt\":\"2026-11-28T10:15:00Z\",", ""))))).hasSize(1);
    }

    private static HttpHeaders headersOf(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + running.service().port() + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).headers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** "METHOD /path" → the operation object. */
    private static List<Map.Entry<String, JsonNode>> operations() {
        List<Map.Entry<String, JsonNode>> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    operations.add(Map.entry(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                            op.getValue()));
                }
            }
        }
        return operations;
    }
}
