package io.keywatch.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import io.keywatch.api.support.RecordedResponses.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real answers against the OpenAPI document the API serves ({@code /openapi.json}, from the classpath): for the
 * operation (method and path template) an answer belongs to, its status must be documented, its content type must be
 * one the document names for that status, and a JSON body must validate against that status's schema (JSON Schema
 * 2020-12 in OpenAPI 3.1's dialect, with networknt's validator). Answers on paths or methods the document does not
 * have (hostile requests to made-up routes, the 405s of a wrong method) are not this check's business: that every
 * registered route is documented is {@code OpenApiDocumentTest}'s.
 */
public final class OpenApiConformance {

    /** Where the document is on the classpath (the API serves this file). */
    public static final String RESOURCE = "/openapi/openapi.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final List<Template> templates = new ArrayList<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance());
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** A documented path template as a pattern; the one with most literal segments wins ("stream" over "{id}"). */
    private record Template(String path, Pattern pattern, int literals) {
        static Template of(String path) {
            StringBuilder regex = new StringBuilder();
            int literals = 0;
            for (String segment : path.substring(1).split("/", -1)) {
                regex.append('/');
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    regex.append("[^/]+");
                } else {
                    regex.append(Pattern.quote(segment));
                    literals++;
                }
            }
            return new Template(path, Pattern.compile(regex.toString()), literals);
        }
    }

    private OpenApiConformance(JsonNode document) {
        this.document = document;
        document.path("paths").fieldNames().forEachRemaining(p -> templates.add(Template.of(p)));
        templates.sort(Comparator.comparingInt(Template::literals).reversed());
    }

    /** The document the API serves. */
    public static OpenApiConformance load() {
        return new OpenApiConformance(document());
    }

    /** The document as JSON (Jackson 2). */
    public static JsonNode document() {
        try (InputStream in = OpenApiConformance.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented template a concrete raw path falls under. */
    public Optional<String> templateOf(String rawPath) {
        return templates.stream().filter(t -> t.pattern().matcher(rawPath).matches()).findFirst().map(Template::path);
    }

    /** What in these answers the document does not describe, one line each; empty when all conform. */
    public List<String> problems(List<Exchange> exchanges) {
        List<String> problems = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            check(exchange).ifPresent(problems::add);
        }
        return problems;
    }

    private Optional<String> check(Exchange exchange) {
        Optional<String> template = templateOf(exchange.path());
        if (template.isEmpty()) {
            return Optional.empty();
        }
        String method = exchange.method().toLowerCase(Locale.ROOT);
        JsonNode operation = document.path("paths").path(template.get()).path(method);
        if (operation.isMissingNode()) {
            return Optional.empty();
        }
        String what = exchange.method() + " " + template.get() + " answered " + exchange.status() + " (path "
                + exchange.path() + ")";
        String status = Integer.toString(exchange.status());
        JsonNode response = operation.path("responses").path(status);
        String pointer = "/paths/" + escape(template.get()) + "/" + method + "/responses/" + status;
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = document.at(pointer);
        }
        if (response.isMissingNode()) {
            return Optional.of(what + ": status not documented; body " + excerpt(exchange.body()));
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return exchange.body().isEmpty() ? Optional.empty()
                    : Optional.of(what + ": a body where the document says none: " + excerpt(exchange.body()));
        }
        String mediaType = exchange.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = content.path(mediaType);
        if (media.isMissingNode()) {
            List<String> documented = new ArrayList<>();
            content.fieldNames().forEachRemaining(documented::add);
            return Optional.of(what + ": content type '" + mediaType + "' not documented (" + documented + ")");
        }
        if (!mediaType.equals("application/json") || !media.has("schema")) {
            return Optional.empty();
        }
        String schemaPointer = pointer + "/content/application~1json/schema";
        Schema schema = schemas.computeIfAbsent(schemaPointer, p -> schema(document.at(p)));
        List<Error> errors = schema.validate(exchange.body(), InputFormat.JSON);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(what + ": body does not match the documented schema: " + errors.stream().limit(5)
                .map(Error::toString).toList() + "; body " + excerpt(exchange.body()));
    }

    /**
     * The examples of the document (request bodies and answers, on operations and in components) that do not validate
     * against the schema beside them, one line each: a client author copies them, so they must be right.
     */
    public List<String> examplesThatDoNotValidate() {
        List<String> problems = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        collectMediaTypes(document.path("paths"), "/paths", pointers);
        collectMediaTypes(document.path("components").path("responses"), "/components/responses", pointers);
        for (String pointer : pointers) {
            JsonNode media = document.at(pointer);
            if (!media.has("example") || !media.has("schema")) {
                continue;
            }
            Schema schema = schemas.computeIfAbsent(pointer + "/schema", p -> schema(document.at(p)));
            List<Error> errors = schema.validate(media.get("example").toString(), InputFormat.JSON);
            if (!errors.isEmpty()) {
                problems.add(pointer + ": " + errors.stream().limit(5).map(Error::toString).toList());
            }
        }
        return problems;
    }

    /** Pointers to every {@code content/application~1json} object under {@code node}. */
    private static void collectMediaTypes(JsonNode node, String pointer, List<String> out) {
        if (!node.isContainerNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + escape(field.getKey());
                if (field.getKey().equals("application/json") && pointer.endsWith("/content")) {
                    out.add(child);
                } else {
                    collectMediaTypes(field.getValue(), child, out);
                }
            }
        } else {
            for (int i = 0; i < node.size(); i++) {
                collectMediaTypes(node.get(i), pointer + "/" + i, out);
            }
        }
    }

    /** The schema with the document's components beside it, so that its "#/components/..." references resolve. */
    private Schema schema(JsonNode schemaNode) {
        ObjectNode root = JSON.createObjectNode();
        root.setAll((ObjectNode) schemaNode.deepCopy());
        root.set("components", document.path("components"));
        return registry.getSchema(root.toString(), InputFormat.JSON);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String excerpt(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    /** The names of the document's operations, "METHOD /template", e.g. for comparing with the routes. */
    public List<String> operations() {
        List<String> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(m)) {
                    operations.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return operations;
    }
}
