package io.keywatch.api.support;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.support.RecordedResponses.Exchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects an embedded PostgreSQL server and Kafka broker into {@code @BeforeAll} methods. Each is started once for
 * the whole test run (kept in JUnit's root store, which closes it at the end), on free ports and in temporary
 * folders; test classes isolate themselves with their own database, topics and consumer group.
 *
 * <p>And when a test class ends, every answer its {@link ApiClient}s received is checked against the OpenAPI document
 * ({@link OpenApiConformance}): an answer that drifted from the document, or a status it does not list, fails the
 * class. With {@code KEYWATCH_OPENAPI_OBSERVE=<dir>} the answers are also written there, one JSON line each.
 */
public final class SharedInfra implements ParameterResolver, BeforeAllCallback, AfterAllCallback {

    private static final int PROBLEMS_SHOWN = 25;

    @Override
    public void beforeAll(ExtensionContext context) {
        // answers recorded by a class that does not use this extension (its own app, its own routes) are not checked
        RecordedResponses.shared().drain();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        List<Exchange> seen = RecordedResponses.shared().drain();
        observe(context, seen);
        OpenApiConformance conformance = context.getRoot().getStore(ExtensionContext.Namespace.create(
                SharedInfra.class)).getOrComputeIfAbsent("openapi", k -> OpenApiConformance.load(),
                OpenApiConformance.class);
        List<String> problems = conformance.problems(seen);
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " of " + seen.size() + " answers differ from the OpenAPI"
                    + " document (alerts-api/src/main/resources" + OpenApiConformance.RESOURCE + "):\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size()))));
        }
    }

    private static void observe(ExtensionContext context, List<Exchange> seen) throws IOException {
        String dir = System.getenv("KEYWATCH_OPENAPI_OBSERVE");
        if (dir == null || dir.isBlank()) {
            return;
        }
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (Exchange e : seen) {
            lines.append(json.writeValueAsString(e)).append('\n');
        }
        Path file = Path.of(dir).resolve(context.getRequiredTestClass().getSimpleName() + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedPostgresServer.class || type == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedInfra.class));
        if (parameter.getParameter().getType() == EmbeddedPostgresServer.class) {
            return store.getOrComputeIfAbsent("postgres", k -> EmbeddedPostgresServer.start(null, 0),
                    EmbeddedPostgresServer.class);
        }
        return store.getOrComputeIfAbsent("kafka", k -> new KafkaInTempDir(), KafkaInTempDir.class).broker;
    }

    /** The broker plus the folder it owns, removed after the broker stops. */
    private static final class KafkaInTempDir implements AutoCloseable {
        private final Path dir;
        private final EmbeddedKafkaBroker broker;

        KafkaInTempDir() {
            try {
                dir = Files.createTempDirectory("keywatch-alerts-api-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = EmbeddedKafkaBroker.start(dir, 0);
        }

        @Override
        public void close() throws IOException {
            try {
                broker.close();
            } finally {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
