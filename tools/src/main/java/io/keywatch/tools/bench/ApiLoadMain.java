package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import io.keywatch.tools.backtest.ConsoleLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The child JVM that {@link ApiLoadProcess} starts: runs {@link ApiLoad} against the API and prints its
 * {@link BenchReport.ApiRun} as one JSON line on stdout; errors go to stderr. The bearer token comes in the environment
 * ({@value #TOKEN_ENV}), never on the command line, where any user of the machine could read it. Arguments, in order:
 * port, mode ({@code list} or a path), clients, warm-up seconds, seconds, key ids file (one per line), now (epoch ms).
 */
public final class ApiLoadMain {

    static final String TOKEN_ENV = "KEYWATCH_BENCH_API_TOKEN";
    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    private ApiLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        String token = System.getenv(TOKEN_ENV);
        if (args.length != 7 || token == null || token.isBlank()) {
            System.err.println("usage: " + TOKEN_ENV + "=... ApiLoadMain PORT MODE CLIENTS WARM_UP_SECONDS SECONDS"
                    + " KEY_IDS_FILE NOW_EPOCH_MS");
            System.exit(2);
            return;
        }
        BenchReport.ApiRun result;
        // stdout carries the one result line: any logging goes to stderr
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            String[] keyIds = Files.readAllLines(Path.of(args[5]), StandardCharsets.UTF_8).toArray(String[]::new);
            if (keyIds.length == 0) {
                throw new IllegalArgumentException("no key ids in " + args[5]);
            }
            ApiLoad load = new ApiLoad(new ApiClient(Integer.parseInt(args[0]), token), keyIds,
                    Instant.ofEpochMilli(Long.parseLong(args[6])));
            result = load.run(args[1], Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])),
                    Duration.ofSeconds(Long.parseLong(args[4])));
        } catch (IllegalArgumentException e) {
            System.err.println("api load: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(JSON.writeValueAsString(result));
        System.out.flush();
    }
}
