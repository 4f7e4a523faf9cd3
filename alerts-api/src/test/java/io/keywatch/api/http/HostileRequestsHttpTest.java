package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.AlertsApiService;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.HostileRequests;
import io.keywatch.api.support.HostileRequests.Case;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The requests issue #10 found answered with 500 ({@link HostileRequests}), against the real server on PostgreSQL:
 * each is a 4xx in the one error shape whose message names the field, and echoes no control character.
 */
@ExtendWith(SharedInfra.class)
class HostileRequestsHttpTest {

    private static AlertsApiService service;
    private static ApiClient api;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        service = new AlertsApiService(TestServices.settings(postgres, broker), null).start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        HostileRequests.prepare(service, api);
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }

    static List<Case> hostileRequests() {
        return HostileRequests.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void isA4xxNamingTheField(Case request) {
        Response response = switch (request.method()) {
            case "GET" -> api.get(request.path());
            case "POST" -> api.post(request.path(), request.body());
            case "PUT" -> api.put(request.path(), request.body());
            default -> api.delete(request.path());
        };

        assertThat(response.status()).as(response.body()).isEqualTo(request.status());
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("status").asInt()).isEqualTo(request.status());
        assertThat(response.json().size()).as("exactly status, error and message").isEqualTo(3);
        assertThat(response.json().path("message").asText()).as(response.body()).contains(request.field());
        assertThat(response.json().path("message").asText()).doesNotContain("\u0000");
    }
}
