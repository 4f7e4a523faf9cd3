package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NewIncidentKindsTest {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant START = DAY.plus(Duration.ofHours(14)).plusSeconds(7);

    private final TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS, DAY);
    private final KeyProfile key = model.activeKeys().get(2);

    @Test
    void everyKindHasADefaultPlanAndAnExpectedRule() {
        for (IncidentKind kind : IncidentKind.values()) {
            IncidentPlan plan = IncidentPlan.of(kind, key.keyId(), START);
            assertThat(plan.kind()).isEqualTo(kind);
            assertThat(kind.expectedRule()).isNotNull();
            assertThat(events(IncidentPlan.forKey(kind, key, START), key)).isNotEmpty();
        }
    }

    @Test
    void expiredKeyUseIsSuccessfulUseOfAnExpiredKeyFromItsOwnClient() {
        KeyProfile expired = model.keys(KeyLifecycle.EXPIRED).get(0);
        List<UsageEvent> events = events(IncidentPlan.expiredKeyUse(expired.keyId(), START), expired);

        assertThat(events).hasSize(5).allSatisfy(e -> {
            assertThat(e.authResult()).isEqualTo(AuthResult.OK);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.timestamp()).isAfter(expired.metadata().expiresAt());
            assertThat(e.clientIp()).isEqualTo(expired.clients().get(0).ip());
            assertThat(e.tls()).isTrue();
        });
    }

    @Test
    void scopeViolationIsThirtyDeniedCallsNeedingAScopeTheKeyDoesNotHoldWithinOneMinute() {
        List<UsageEvent> events = events(IncidentPlan.scopeViolation(key.keyId(), START), key);

        assertThat(events).hasSize(30).allSatisfy(e -> {
            assertThat(e.authResult()).isEqualTo(AuthResult.SCOPE_DENIED);
            assertThat(e.status()).isEqualTo(403);
            assertThat(key.metadata().scopes()).doesNotContain(e.scope());
            assertThat(e.scope()).isEqualTo(key.service() + ":admin");
            assertThat(e.path()).startsWith("/v1/admin/");
            assertThat(e.timestamp()).isBetween(START, START.plusSeconds(50));
        });
    }

    @Test
    void rateLimitAbuseStaysAboveTheRegisteredLimitForSixWholeMinutes() {
        Instant minute = START.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        IncidentPlan plan = IncidentPlan.forKey(IncidentKind.RATE_LIMIT_ABUSE, key, minute);
        List<UsageEvent> events = events(plan, key);

        int limit = key.rateLimitPerMinute();
        assertThat(plan.count()).isEqualTo(2 * limit * 6);
        Map<Instant, Long> perMinute = new TreeMap<>(events.stream().collect(Collectors.groupingBy(
                e -> e.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MINUTES), Collectors.counting())));
        assertThat(perMinute).hasSize(6);
        assertThat(perMinute.values()).allSatisfy(n -> assertThat(n).isGreaterThan((long) limit * 3 / 2));
        Set<String> ownIps = key.clients().stream().map(ClientEndpoint::ip).collect(Collectors.toSet());
        assertThat(events).allSatisfy(e -> assertThat(ownIps).contains(e.clientIp()));
        long rejected = events.stream().filter(e -> e.authResult() == AuthResult.RATE_LIMITED).count();
        assertThat((double) rejected / events.size()).isBetween(0.3, 0.5);
        assertThat(events).filteredOn(e -> e.authResult() == AuthResult.RATE_LIMITED)
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(429));
    }

    @Test
    void ipFanoutIsTheKeysUsualVolumeFromSixtyNewIpsInItsHomeCountry() {
        List<UsageEvent> events = events(IncidentPlan.forKey(IncidentKind.IP_FANOUT, key, START), key);

        assertThat(distinct(events, UsageEvent::clientIp)).hasSize(60)
                .doesNotContainAnyElementsOf(key.clients().stream().map(ClientEndpoint::ip).toList());
        assertThat(distinct(events, UsageEvent::country)).containsExactly(key.homeCountry());
        assertThat(events).hasSize((int) Math.max(120, Math.round(1.5 * key.meanRatePerMinute())))
                .allSatisfy(e -> {
                    assertThat(e.authResult()).isEqualTo(AuthResult.OK);
                    assertThat(e.timestamp()).isBetween(START, START.plusSeconds(90));
                });
    }

    @Test
    void newCountryIsAFewRequestsFromACountryTheKeyNeverUsed() {
        List<UsageEvent> events = events(IncidentPlan.newCountry(key.keyId(), START), key);

        Set<String> used = key.clients().stream().map(ClientEndpoint::country).collect(Collectors.toSet());
        assertThat(events).hasSize(5).allSatisfy(e -> {
            assertThat(used).doesNotContain(e.country());
            assertThat(e.country()).isNotEqualTo(key.homeCountry());
            assertThat(e.authResult()).isEqualTo(AuthResult.OK);
        });
        assertThat(distinct(events, UsageEvent::country)).hasSize(1);
    }

    @Test
    void insecureTransportAndKeyInUrlComeFromTheKeysOwnClient() {
        List<UsageEvent> plain = events(IncidentPlan.insecureTransport(key.keyId(), START), key);
        List<UsageEvent> inUrl = events(IncidentPlan.keyInUrl(key.keyId(), START), key);

        assertThat(plain).hasSize(10).allSatisfy(e -> {
            assertThat(e.tls()).isFalse();
            assertThat(e.credentialLocation()).isEqualTo(CredentialLocation.HEADER);
            assertThat(e.clientIp()).isEqualTo(key.clients().get(0).ip());
        });
        assertThat(inUrl).hasSize(10).allSatisfy(e -> {
            assertThat(e.tls()).isTrue();
            assertThat(e.credentialLocation()).isEqualTo(CredentialLocation.QUERY);
            assertThat(e.clientIp()).isEqualTo(key.clients().get(0).ip());
        });
    }

    @Test
    void dormantKeyReactivationUsesAKeySilentForMoreThanThirtyDays() {
        KeyProfile dormant = model.keys(KeyLifecycle.DORMANT).get(0);
        List<UsageEvent> events = events(IncidentPlan.dormantKeyReactivation(dormant.keyId(), START), dormant);

        assertThat(dormant.lastUsedAt()).isBefore(START.minus(Duration.ofDays(30)));
        assertThat(events).hasSize(20).allSatisfy(e -> assertThat(e.authResult()).isEqualTo(AuthResult.OK));
    }

    @Test
    void unknownKeyTrafficUsesAKeyIdOutsideTheRegistry() {
        IncidentPlanner planner = new IncidentPlanner(model);
        IncidentPlan plan = planner.plan(IncidentKind.UNKNOWN_KEY, START);

        assertThat(model.registry()).extracting(s -> s.keyId()).doesNotContain(plan.keyId());
        assertThat(plan.keyId()).startsWith("pk_");
        assertThat(events(plan, model.profileOf(plan.keyId()))).hasSize(20)
                .allSatisfy(e -> assertThat(e.keyId()).isEqualTo(plan.keyId()));
    }

    @Test
    void thePlannerPicksSilentKeysForDormantAndExpiredIncidents() {
        IncidentPlanner planner = new IncidentPlanner(model);

        assertThat(model.key(planner.plan(IncidentKind.DORMANT_KEY_REACTIVATION, START).keyId()).orElseThrow()
                .lifecycle()).isEqualTo(KeyLifecycle.DORMANT);
        assertThat(model.key(planner.plan(IncidentKind.EXPIRED_KEY_USE, START).keyId()).orElseThrow()
                .lifecycle()).isEqualTo(KeyLifecycle.EXPIRED);
        assertThat(model.key(planner.plan(IncidentKind.LEAKED_KEY, START).keyId()).orElseThrow()
                .lifecycle()).isEqualTo(KeyLifecycle.ACTIVE);
    }

    private List<UsageEvent> events(IncidentPlan plan, KeyProfile profile) {
        List<UsageEvent> events = IncidentFactory.create(plan, profile, model.settings().seed()).events();
        assertThat(events).hasSize(plan.count()).isSortedAccordingTo(TrafficModel.BY_TIME)
                .allSatisfy(e -> assertThat(e.timestamp()).isBetween(plan.start(), plan.end()));
        return events;
    }

    private static Set<String> distinct(List<UsageEvent> events, Function<UsageEvent, String> f) {
        return events.stream().map(f).collect(Collectors.toSet());
    }
}
