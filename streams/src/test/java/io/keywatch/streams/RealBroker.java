package io.keywatch.streams;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded Kafka broker for a test class, in a folder of its own, removed after:
 * {@code @RegisterExtension static final RealBroker broker = new RealBroker();}.
 */
final class RealBroker implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("keywatch-broker-");
        broker = EmbeddedKafkaBroker.start(dir, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
