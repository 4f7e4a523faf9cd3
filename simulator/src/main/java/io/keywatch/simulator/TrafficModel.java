package io.keywatch.simulator;

import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.UsageEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The simulated keys, their registry entries and their ordinary traffic, second by second. Pure: the events of a
 * second depend only on the settings, the second and which keys are revoked by then, never on what was generated
 * before.
 *
 * <p>Registry dates (creation, expiry, last use of silent keys) are relative to the <em>registry anchor</em>, the
 * start of a UTC day: the day being simulated. The anchor changes no ordinary event: only which keys exist
 * and which are silent come from the settings.
 */
public final class TrafficModel {

    /** Coordinate that separates ordinary traffic's random stream from the population's and incidents'. */
    private static final long TRAFFIC_STREAM = 0x747266L;
    static final Comparator<UsageEvent> BY_TIME = Comparator.comparing(UsageEvent::timestamp);

    private final SimulatorSettings settings;
    private final List<KeyProfile> keys;
    private final Map<String, KeyProfile> byId;
    private final Instant registryAnchor;

    /** A model whose registry is anchored at the start of today (UTC). */
    public TrafficModel(SimulatorSettings settings) {
        this(settings, Clock.systemUTC().instant());
    }

    /** A model whose registry is anchored at the start of the UTC day that contains {@code registryAnchor}. */
    public TrafficModel(SimulatorSettings settings, Instant registryAnchor) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registryAnchor = Objects.requireNonNull(registryAnchor, "registryAnchor").truncatedTo(ChronoUnit.DAYS);
        this.keys = KeyPopulation.create(settings, this.registryAnchor);
        this.byId = keys.stream().collect(Collectors.toUnmodifiableMap(KeyProfile::keyId, Function.identity()));
    }

    /** The start of the UTC day the registry's dates are relative to. */
    public Instant registryAnchor() {
        return registryAnchor;
    }

    /** Keys that make ordinary traffic, in population order. */
    public List<KeyProfile> activeKeys() {
        return keys.stream().filter(k -> k.lifecycle().makesTraffic()).toList();
    }

    /** Keys of one lifecycle, in population order. */
    public List<KeyProfile> keys(KeyLifecycle lifecycle) {
        return keys.stream().filter(k -> k.lifecycle() == lifecycle).toList();
    }

    /**
     * The key registry as keywatch's key-state topic carries it: one ACTIVE state with metadata per key (silent and
     * expired keys included: expiry is metadata, not a status), changed at the key's creation, in population order.
     */
    public List<KeyState> registry() {
        return keys.stream().map(TrafficModel::registration).toList();
    }

    static KeyState registration(KeyProfile key) {
        return new KeyState(key.keyId(), KeyStatus.ACTIVE, key.metadata().createdAt(), "registered",
                "registry:" + key.owner(), key.metadata());
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** The simulated keys, in population order. */
    public List<KeyProfile> keys() {
        return keys;
    }

    public Optional<KeyProfile> key(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** The key's profile; a key outside the population gets a made-up but stable one (incidents on any key id). */
    KeyProfile profileOf(String keyId) {
        KeyProfile known = byId.get(keyId);
        return known != null ? known : KeyPopulation.forForeignKey(keyId, settings);
    }

    /**
     * The ordinary requests of every key within the second starting at {@code secondStart}, in time order.
     *
     * @param revokedSince for keys their owner was told are revoked: from when (their requests are then rejected)
     */
    public List<UsageEvent> secondOfTraffic(Instant secondStart, Map<String, Instant> revokedSince) {
        long epochSecond = secondStart.getEpochSecond();
        Instant second = Instant.ofEpochSecond(epochSecond);
        Instant middle = second.plusMillis(500);
        List<UsageEvent> events = new ArrayList<>();
        for (KeyProfile key : keys) {
            if (!key.lifecycle().makesTraffic()) {
                continue;
            }
            SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), TRAFFIC_STREAM, key.index(), epochSecond);
            int n = RandomDraws.poisson(rng, key.ratePerSecondAt(middle));
            Instant revokedAt = revokedSince.get(key.keyId());
            for (int i = 0; i < n; i++) {
                Instant time = second.plusMillis(rng.nextInt(1000));
                boolean revoked = revokedAt != null && !time.isBefore(revokedAt);
                events.add(RequestFactory.ordinary(key, time, revoked, rng));
            }
        }
        events.sort(BY_TIME); // stable: ties keep key order, so the output is deterministic
        return events;
    }
}
