package io.keywatch.api.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.keywatch.events.KeywatchJson;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpUsageSourceTest {

    @Test
    void unsetMeansNoRemoteSource() {
        assertThat(HttpUsageSource.fromEnv(Map.of(), KeywatchJson.newMapper())).isEmpty();
    }

    @Test
    void aUrlNeedsTheTokenAndMustBeHttp() {
        assertThatThrownBy(() -> HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR, "http://streams:8081"),
                KeywatchJson.newMapper())).hasMessageContaining(HttpUsageSource.TOKEN_VAR);
        for (String bad : new String[] {"streams:8081", "ftp://streams/", "http://", "not a url"}) {
            assertThatThrownBy(() -> HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR, bad,
                    HttpUsageSource.TOKEN_VAR, "t"), KeywatchJson.newMapper()))
                    .as(bad).hasMessageContaining(HttpUsageSource.URL_VAR);
        }
        UsageSource source = HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR, "http://streams:8081/",
                HttpUsageSource.TOKEN_VAR, "t", "KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "90"),
                KeywatchJson.newMapper()).orElseThrow();
        assertThat(source.retention()).isEqualTo(Duration.ofMinutes(90));
        assertThat(source.name()).isEqualTo("topology");
    }

    @Test
    void anAnswerThatIsNotUsageIsUnavailableNeverAnError() throws Exception {
        AtomicReference<byte[]> answer = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = answer.get();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            UsageSource source = new HttpUsageSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    "t", Duration.ofMinutes(120), KeywatchJson.newMapper());
            Instant to = Instant.parse("2026-12-06T10:00:00Z");
            for (String body : new String[] {"{\"minutes\":[{\"requests\":1,\"alerts\":{}}]}",
                    "{\"minutes\":[{\"start\":\"2026-12-06T09:00:00Z\",\"requests\":-5,\"alerts\":{}}]}",
                    "{\"minutes\":[{\"start\":\"2026-12-06T09:00:00Z\"}]}", "not json"}) {
                answer.set(body.getBytes(StandardCharsets.UTF_8));
                assertThatThrownBy(() -> source.minutes("k-1", to.minusSeconds(3600), to)).as(body)
                        .isInstanceOf(UsageUnavailableException.class);
            }
            answer.set(new byte[HttpUsageSource.MAX_ANSWER_BYTES + 10]);
            assertThatThrownBy(() -> source.minutes("k-1", to.minusSeconds(3600), to))
                    .isInstanceOf(UsageUnavailableException.class).hasMessageContaining("more than");
            answer.set("{\"minutes\":[{\"start\":\"2026-12-06T09:00:00Z\",\"requests\":3,\"authFailures\":1,\"errors\":0,\"distinctIps\":2,\"alerts\":{}}]}"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(source.minutes("k-1", to.minusSeconds(3600), to)).singleElement()
                    .satisfies(m -> assertThat(m.requests()).isEqualTo(3));
        } finally {
            server.stop(0);
        }
    }
}
