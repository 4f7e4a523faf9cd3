package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import io.keywatch.tools.ToolsClassPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The API's load generator in a child JVM ({@link ApiLoadMain}) on the tools' class path and this Java, with its own
 * heap: the measured JVM then runs only keywatch, and its garbage and threads are not the clients'.
 */
final class ApiLoadProcess {

    static final String DESCRIPTION = "child JVM, java.net.http clients";
    private static final ObjectMapper JSON = KeywatchJson.newMapper();
    /** A JVM's start and its clients' connections, with room for a loaded machine. */
    private static final long START_ALLOWANCE_SECONDS = 120;

    private final int port;
    private final String token;
    private final Path keyIdsFile;
    private final Instant now;

    ApiLoadProcess(int port, String token, String[] keyIds, Instant now, Path workDir) throws IOException {
        this.port = port;
        this.token = token;
        this.now = now;
        this.keyIdsFile = Files.createTempFile(workDir, "api-load-keys-", ".txt");
        Files.write(keyIdsFile, Arrays.asList(keyIds), StandardCharsets.UTF_8);
    }

    /** Runs {@code clients} clients on {@code mode} (ApiLoad.LIST or a path) and waits for their result. */
    BenchReport.ApiRun run(String mode, int clients, Duration warmUp, Duration duration) throws Exception {
        Path output = Files.createTempFile(keyIdsFile.getParent(), "api-load-", ".json");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                PublisherProcess.CHILD_HEAP, "-cp", ToolsClassPath.get(), ApiLoadMain.class.getName(),
                Integer.toString(port), mode, Integer.toString(clients), Long.toString(warmUp.toSeconds()),
                Long.toString(duration.toSeconds()), keyIdsFile.toString(), Long.toString(now.toEpochMilli()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(ApiLoadMain.TOKEN_ENV, token);
        Process process = builder.start();
        try {
            long limit = warmUp.toSeconds() + duration.toSeconds() + START_ALLOWANCE_SECONDS;
            if (!process.waitFor(limit, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the API load process did not finish in " + limit + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the API load process failed with exit code " + process.exitValue()
                        + " (its errors are above)");
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                throw new IllegalStateException("the API load process printed no result");
            }
            return JSON.readValue(lines.get(lines.size() - 1), BenchReport.ApiRun.class);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
