package io.keywatch.api.auth.oidc;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIssuer;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Single sign-on through the real API: roles from the token's groups, and the admin token beside it. */
@ExtendWith(SharedInfra.class)
class OidcHttpTest {

    private static final Instant T0 = Instant.parse("2026-11-27T19:00:00Z");

    private static TestIssuer issuer;
    private static TestIssuer otherIssuer;
    private static AlertsApiService service;
    private static ApiClient api;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        issuer = TestIssuer.start();
        otherIssuer = TestIssuer.start();
        service = new AlertsApiService(TestServices.settings(postgres, broker).withOidc(issuer.settings()), null)
                .start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        service.alertStore().storeAll(List.of(
                alert("sso-1", "sso-key-1", AlertRule.VOLUME_SPIKE, Severity.LOW, T0.plusSeconds(1))));
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
        issuer.close();
        otherIssuer.close();
    }

    private static ApiClient as(String token) {
        return api.withToken(token);
    }

    @Test
    void aViewerJwtReadsAlertsButMayNotTriageThem() {
        ApiClient viewer = as(issuer.token("vera@example.com", TestIssuer.VIEWERS));

        Response list = viewer.get("/api/v1/alerts");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("sso-1");

        Response acknowledge = viewer.post("/api/v1/alerts/sso-1/acknowledge", "{}");
        assertThat(acknowledge.status()).isEqualTo(403);
        assertThat(acknowledge.body()).contains("oidc:vera@example.com").contains("viewer");
    }

    @Test
    void aResponderJwtMayTriageButNotAdminister() {
        ApiClient responder = as(issuer.token("rita@example.com", TestIssuer.RESPONDERS));

        assertThat(responder.post("/api/v1/alerts/sso-1/acknowledge", "{}").status()).isEqualTo(200);
        assertThat(responder.put("/api/v1/keys/sso-key-1", "{\"owner\":\"team-a\"}").status()).isEqualTo(403);
    }

    @Test
    void refusedJwtsAre401WithTheBearerChallenge() {
        String expired = issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .expirationTime(Date.from(Instant.now().minusSeconds(600))).build());
        String noRole = issuer.token("a@example.com", "staff");
        String foreign = otherIssuer.token("a@example.com", TestIssuer.ADMINS);
        String unsigned = Base64URL.encode("{\"alg\":\"none\"}") + "."
                + Base64URL.encode(issuer.claims("a@example.com", TestIssuer.ADMINS).build().toString()) + ".";

        for (String token : List.of(expired, noRole, foreign, unsigned, "not.a.jwt")) {
            Response response = as(token).get("/api/v1/alerts");
            assertThat(response.status()).as(token).isEqualTo(401);
            assertThat(response.body()).doesNotContain(token);
        }
    }

    @Test
    void theAdminTokenStillWorksBesideSingleSignOn() {
        assertThat(api.get("/api/v1/alerts").status()).isEqualTo(200);
        assertThat(as(TestServices.TOKEN + "x").get("/api/v1/alerts").status()).isEqualTo(401);
    }
}
