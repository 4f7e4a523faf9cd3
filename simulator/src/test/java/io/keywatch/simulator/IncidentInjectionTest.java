package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IncidentInjectionTest {

    private static final Instant FROM = Instant.parse("2026-11-27T14:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofMinutes(5));
    private static final Instant START = FROM.plusSeconds(100).plusMillis(250);

    private final TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS);
    private final KeyProfile key = model.keys().get(3);

    @Test
    void aLeakedKeyMakesFifteenHundredAuthenticatedRequestsFromManyIpsInManyCountriesWithinFortySeconds() {
        Injected run = inject(IncidentPlan.leakedKey(key.keyId(), START));

        List<UsageEvent> events = run.incidentEvents();
        assertThat(events).hasSize(1500);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.authResult()).isEqualTo(AuthResult.OK);
            assertThat(e.status()).isIn(200, 404);
            assertThat(e.timestamp()).isBetween(START, START.plusSeconds(40).minusNanos(1));
            assertThat(e.country()).isNotEqualTo(key.homeCountry());
            assertThat(e.service()).isEqualTo(key.service());
        });
        assertThat(distinct(events, UsageEvent::clientIp)).hasSizeGreaterThanOrEqualTo(40);
        assertThat(distinct(events, UsageEvent::country)).hasSizeGreaterThanOrEqualTo(8);
        Set<String> ownIps = key.clients().stream().map(ClientEndpoint::ip).collect(Collectors.toSet());
        assertThat(distinct(events, UsageEvent::clientIp)).doesNotContainAnyElementsOf(ownIps);
        assertThat(events.stream().filter(e -> e.status() == 200).count()).isGreaterThan(1350);

        Incident incident = run.incident();
        assertThat(incident.kind()).isEqualTo(IncidentKind.LEAKED_KEY);
        assertThat(incident.keyId()).isEqualTo(key.keyId());
        assertThat(incident.start()).isEqualTo(START);
        assertThat(incident.end()).isEqualTo(START.plusSeconds(40));
        assertThat(incident.count()).isEqualTo(1500);
        assertThat(incident.distinctIps()).isEqualTo(48);
        assertThat(incident.distinctCountries()).isEqualTo(10);
        assertThat(incident.authResult()).isEqualTo(AuthResult.OK);
        assertThat(incident.describe()).contains("LEAKED_KEY", key.keyId(), "1500 requests", "48 IPs", "10 countries");
    }

    @Test
    void aBruteForceIsABurstOfInvalidSecretsFromOneToThreeIps() {
        Injected run = inject(IncidentPlan.bruteForce(key.keyId(), START));

        List<UsageEvent> events = run.incidentEvents();
        assertThat(events).hasSize(300);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.authResult()).isEqualTo(AuthResult.INVALID_SECRET);
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.timestamp()).isBetween(START, START.plusSeconds(30).minusNanos(1));
        });
        assertThat(distinct(events, UsageEvent::clientIp)).hasSizeBetween(1, 3);
        assertThat(run.incident().distinctIps()).isEqualTo(2);
        assertThat(run.incident().statuses()).isEqualTo("401");
    }

    @Test
    void revokedKeyReuseIsAFewSuccessfulLookingRequests() {
        Injected run = inject(IncidentPlan.revokedKeyReuse(key.keyId(), START));

        assertThat(run.incidentEvents()).hasSizeBetween(1, 10).allSatisfy(e -> {
            assertThat(e.authResult()).isEqualTo(AuthResult.OK);
            assertThat(e.status()).isEqualTo(200);
        });
        assertThat(run.incident().count()).isEqualTo(5);
    }

    @Test
    void plansCanBeResized() {
        IncidentPlan plan = IncidentPlan.leakedKey(key.keyId(), START)
                .withCount(3000, Duration.ofSeconds(60)).withSources(100, 12);

        Incident incident = inject(plan).incident();

        assertThat(incident.count()).isEqualTo(3000);
        assertThat(incident.distinctIps()).isEqualTo(100);
        assertThat(incident.distinctCountries()).isEqualTo(12);
        assertThat(incident.end()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void incidentEventsMergeIntoTheOrdinaryStreamInTimeOrderAndParse() {
        Injected run = inject(IncidentPlan.leakedKey(key.keyId(), START),
                IncidentPlan.bruteForce(model.keys().get(7).keyId(), START.plusSeconds(20)));

        assertThat(run.all()).isSortedAccordingTo(TrafficModel.BY_TIME);
        assertThat(run.generated().events()).isEqualTo(run.all().size());
        assertThat(run.generated().incidents()).extracting(Incident::kind)
                .containsExactly(IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE);
        List<UsageEvent> ordinary = generate(List.of());
        assertThat(run.all()).hasSize(ordinary.size() + 1800);
        assertThat(new HashSet<>(run.all()).containsAll(ordinary)).as("ordinary traffic is all still there").isTrue();
        JsonSerde<UsageEvent> serde = new JsonSerde<>(UsageEvent.class);
        UsageEventParser parser = new UsageEventParser();
        assertThat(run.all()).allSatisfy(e ->
                assertThat(parser.parse(serde.toBytes(e))).isEqualTo(new UsageEventParser.Valid(e)));
    }

    @Test
    void incidentsAreReproducible() {
        IncidentPlan plan = IncidentPlan.leakedKey(key.keyId(), START);

        assertThat(inject(plan).incidentEvents()).isEqualTo(inject(plan).incidentEvents());
    }

    @Test
    void anIncidentCanHitAKeyOutsideThePopulation() {
        Injected run = inject(IncidentPlan.bruteForce("pk_someone_else", START));

        assertThat(run.incidentEvents()).hasSize(300).allSatisfy(e -> assertThat(e.keyId()).isEqualTo("pk_someone_else"));
    }

    @Test
    void anIncidentOutsideThePeriodIsRejected() {
        IncidentPlan tooLate = IncidentPlan.leakedKey(key.keyId(), TO.minusSeconds(10));

        assertThatThrownBy(() -> generate(List.of(tooLate)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not within");
    }

    @Test
    void impossiblePlansAreRejected() {
        assertThatThrownBy(() -> IncidentPlan.bruteForce("pk_1", START).withCount(0, Duration.ofSeconds(1)))
                .hasMessageContaining("count");
        assertThatThrownBy(() -> IncidentPlan.leakedKey("pk_1", START).withSources(5, 8))
                .hasMessageContaining("sourceCountries");
        assertThatThrownBy(() -> IncidentPlan.leakedKey("pk_1", START).withCount(10, Duration.ZERO))
                .hasMessageContaining("duration");
    }

    private record Injected(GeneratedTraffic generated, List<UsageEvent> all, List<UsageEvent> incidentEvents,
                            Incident incident) {
    }

    private Injected inject(IncidentPlan... plans) {
        List<UsageEvent> all = new ArrayList<>();
        GeneratedTraffic generated = new TrafficGenerator(model).generate(FROM, TO, List.of(plans), all::add);
        Set<String> ordinaryIds = generate(List.of()).stream().map(UsageEvent::eventId).collect(Collectors.toSet());
        List<UsageEvent> incidentEvents = all.stream().filter(e -> !ordinaryIds.contains(e.eventId())).toList();
        return new Injected(generated, all, incidentEvents, generated.incidents().get(0));
    }

    private List<UsageEvent> generate(List<IncidentPlan> plans) {
        List<UsageEvent> events = new ArrayList<>();
        new TrafficGenerator(model).generate(FROM, TO, plans, events::add);
        return events;
    }

    private static Set<String> distinct(List<UsageEvent> events, Function<UsageEvent, String> f) {
        return events.stream().map(f).collect(Collectors.toSet());
    }
}
