package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.occurrence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service runs the auto-resolve job with its configured quiet period. */
@ExtendWith(SharedInfra.class)
class AutoResolveServiceTest {

    @Test
    void theServiceResolvesQuietAlertsAndLeavesActiveOnes(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker kafka) {
        try (AlertsApiService service = new AlertsApiService(TestServices.settings(postgres, kafka)
                .withAlertAutoResolve(Duration.ofSeconds(4)), null).start()) {
            ApiClient api = new ApiClient(service.port(), TestServices.TOKEN);
            Alert quiet = occurrence("auto-1", AlertRule.VOLUME_SPIKE, Severity.HIGH,
                    Instant.now().minus(Duration.ofHours(1)), 10);
            Alert active = occurrence("auto-2", AlertRule.VOLUME_SPIKE, Severity.HIGH,
                    Instant.now().plus(Duration.ofMinutes(5)), 10);
            service.alertStore().storeAll(java.util.List.of(quiet, active));

            JsonNode resolved = await().atMost(Duration.ofSeconds(15))
                    .until(() -> api.get("/api/v1/alerts/" + quiet.id()).json(),
                            a -> a.path("status").asText().equals("RESOLVED"));

            assertThat(resolved.path("resolution").asText()).isEqualTo("auto_resolved");
            assertThat(resolved.path("resolvedBy").asText()).isEqualTo("system");
            assertThat(resolved.path("history").findValuesAsText("actor")).containsExactly("system", "system");
            assertThat(api.get("/api/v1/alerts/" + active.id()).json().path("status").asText()).isEqualTo("OPEN");
        }
    }
}
