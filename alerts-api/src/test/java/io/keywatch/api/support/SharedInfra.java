package io.keywatch.api.support;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects an embedded PostgreSQL server and Kafka broker into {@code @BeforeAll} methods. Each is started once for
 * the whole test run (kept in JUnit's root store, which closes it at the end), on free ports and in temporary
 * folders; test classes isolate themselves with their own database, topics and consumer group.
 */
public final class SharedInfra implements ParameterResolver {

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
