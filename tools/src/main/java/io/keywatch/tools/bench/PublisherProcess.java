package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import io.keywatch.tools.ToolsClassPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;

/**
 * Background traffic sent by a child JVM ({@link LoadPublisherMain}) on the tools' class path and this Java, with its
 * own heap ({@value #CHILD_HEAP}): the measured JVM then runs only keywatch and the phase's probes.
 */
final class PublisherProcess implements Background {

    static final String CHILD_HEAP = "-Xmx1g";
    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    private final Process process;
    private final Path output;
    private final long seconds;
    private final long firstDueMs;

    private PublisherProcess(Process process, Path output, long seconds, long firstDueMs) {
        this.process = process;
        this.output = output;
        this.seconds = seconds;
        this.firstDueMs = firstDueMs;
    }

    /** A JVM's start, on top of the generation's lead, before the child's first event is due. */
    static final long CHILD_START_SECONDS = 2;

    /** Starts the child with its first event due once it can have started and generated its traffic. */
    static PublisherProcess start(String bootstrap, String topic, int keys, long seed, int rate, long seconds,
                                  Path workDir) throws IOException {
        Instant start = Instant.now().plusSeconds(EventBatch.generationLeadSeconds(seconds, rate) + CHILD_START_SECONDS)
                .truncatedTo(ChronoUnit.SECONDS);
        return start(bootstrap, topic, keys, seed, rate, start, seconds, workDir);
    }

    /**
     * Starts the child; it generates {@code seconds} of the simulated keys' traffic at {@code rate} events/s from
     * {@code start} (event time), then sends each event when its time comes.
     */
    static PublisherProcess start(String bootstrap, String topic, int keys, long seed, int rate, Instant start,
                                  long seconds, Path workDir) throws IOException {
        Path output = Files.createTempFile(workDir, "publisher-", ".json");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), CHILD_HEAP,
                "-cp", ToolsClassPath.get(), LoadPublisherMain.class.getName(), bootstrap, topic,
                Integer.toString(keys), Long.toString(seed), Integer.toString(rate),
                Long.toString(start.toEpochMilli()), Long.toString(seconds));
        Process process = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new PublisherProcess(process, output, seconds, start.toEpochMilli());
    }

    @Override
    public boolean sendDue(Producer<String, byte[]> producer, String topic, long nowMs) {
        return false;
    }

    @Override
    public long firstDueMs() {
        return firstDueMs;
    }

    @Override
    public boolean done() {
        return !process.isAlive();
    }

    @Override
    public Sent finish() throws Exception {
        // generation, the JVM's start and the sending itself, with room for a loaded machine
        if (!process.waitFor(seconds + 300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the publisher process did not finish in " + (seconds + 300) + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the publisher process failed with exit code " + process.exitValue()
                    + " (its errors are above)");
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalStateException("the publisher process printed no result");
        }
        return JSON.readValue(lines.get(lines.size() - 1), Sent.class);
    }

    @Override
    public String publisher() {
        return "child process";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
