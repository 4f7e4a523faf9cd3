package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static io.keywatch.streams.TopologyFixture.withOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every detector at once on honest traffic from registered keys: a security team must not be paged. */
class QuietTrafficTest {

    private static final String[] HOMES = {"DE", "US", "JP", "BR"};

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void staysQuietOnHonestVaryingTrafficOfRegisteredKeys() {
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < HOMES.length; k++) {
            int mean = 6 + 6 * k;
            fixture.register("key-" + k, Registry.entry()
                    .scopes("billing:read", "billing:write")
                    .createdAt(T0.minus(Duration.ofDays(20)))
                    .expiresAt(T0.plus(Duration.ofDays(200)))
                    .rateLimitPerMinute(mean * 3)
                    .allowedCountries(HOMES[k], "IE")
                    .allowedCidrs("10.0.0.0/8", "192.0.2.0/24")
                    .build(), T0);
        }
        for (int m = 0; m < 30; m++) {
            for (int k = 0; k < HOMES.length; k++) {
                int mean = 6 + 6 * k;
                int count = (int) Math.round(mean * (1 + 0.3 * Math.sin(m / 7.0)) * (0.8 + 0.4 * random.nextDouble()));
                String home = HOMES[k];
                fixture.sendMinute("key-" + k, minute(m), Math.max(1, count), (event, i) ->
                        honest(event, random, home));
            }
        }

        assertThat(fixture.readAlerts()).isEmpty();
        assertThat(fixture.usage("key-3", minute(0), minute(30))).hasSize(30);
    }

    /** What RequestFactory in the simulator does for ordinary requests: a few honest failures, TLS, header. */
    private static UsageEvent honest(UsageEvent event, SplittableRandom random, String home) {
        double r = random.nextDouble();
        boolean write = random.nextDouble() < 0.2;
        String ip = random.nextDouble() < 0.8 ? "10.1.2.3" : random.nextBoolean() ? "10.1.2.4" : "192.0.2.10";
        String country = random.nextDouble() < 0.9 ? home : "IE";
        UsageEvent shaped = event.withClient(ip, country, "billing-sdk/2.1")
                .withDetails(20, write ? "billing:write" : "billing:read", true, CredentialLocation.HEADER);
        if (r < 0.003) {
            return withOutcome(shaped, AuthResult.INVALID_SECRET, 401);
        } else if (r < 0.007) {
            return withOutcome(shaped, AuthResult.SCOPE_DENIED, 403);
        } else if (r < 0.012) {
            return withOutcome(shaped, AuthResult.RATE_LIMITED, 429);
        } else if (r < 0.05) {
            return withOutcome(shaped, AuthResult.OK, 404);
        }
        return shaped;
    }
}
