package io.keywatch.simulator;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A simulated UTC day with ground truth: every key's ordinary traffic (with its daily rhythm) plus one incident of
 * every {@link IncidentKind}, at spread-out times, each on its own key: a dormant key for the reactivation, an
 * expired one for the expired-key use, a made-up key id for the unknown key, a key with a country allow-list for
 * the new country, a key of moderate volume for the IP fan-out, active keys for the rest. The same settings and day always give the
 * same events, byte for byte, so the day can be replayed live and through a backtest and the alerts scored against
 * {@link #incidents()}.
 *
 * <p>What a replay needs besides the events: {@link #keyStateFeed()}, the key registry (one ACTIVE state with
 * metadata per key, changed at the key's creation) followed by the timed changes during the day (the revocation
 * that a REVOKED_KEY_REUSE relies on, 30 to 50 minutes before the reuse). Publish each state to the key-state topic
 * no later than its {@code changedAt}.
 *
 * <p>The events start with a little <em>history</em> before the day: ten minutes of ordinary traffic of each
 * silent key up to its last use (35 to 60 days before the day for dormant keys, shortly before the expiry for
 * expired ones), so that a detector can tell how long each key has been silent. Incidents start after the first
 * hour of the day, so that per-key baselines are warm.
 *
 * <p>{@link #housekeeping()} lists findings about the registry itself (keys that expire within 14 days, keys
 * unused for 30 days) that a correct keywatch may raise although no incident caused them.
 */
public final class MixedDay {

    /** The fewest keys that give every incident its own key: 12 active ones, a dormant and an expired one. */
    public static final int MIN_KEYS = 16;
    /** Time before the first incident, for warm baselines. */
    public static final Duration WARM_UP = Duration.ofHours(1);
    /** Incidents start in consecutive slots of this length after the warm-up, up to 20 minutes into their slot. */
    static final Duration SLOT = Duration.ofMinutes(110);
    /** How much ordinary traffic of a silent key precedes its last use. */
    static final Duration HISTORY = Duration.ofMinutes(10);

    private static final long MIXED_DAY_STREAM = 0x646179L;
    private static final long HISTORY_STREAM = 0x686973L;
    private static final long KEEP_ALIVE_STREAM = 0x6b6565L;
    /** How often a key in use shows up in the weeks before the day: well inside any "unused" or "dormant" period. */
    static final Duration KEEP_ALIVE_EVERY = Duration.ofDays(7);
    /**
     * Ordinary traffic of every active key right before the day: after weeks of sparse history a key's baseline has
     * to relearn its volume, which takes under an hour; the day then starts warm.
     */
    public static final Duration PRE_DAY = Duration.ofHours(2);

    /**
     * A finding about the registry that a correct keywatch may raise on this day without an incident.
     *
     * @param reason in words, with the date that makes it true
     */
    public record HousekeepingFinding(AlertRule rule, String keyId, String reason) {
    }

    private final SimulatorSettings settings;
    private final LocalDate day;
    private final Instant start;
    private final Instant end;
    private final TrafficModel model;
    private final List<IncidentPlan> plans;
    private final List<Incident> incidents;
    private final List<KeyState> keyStateChanges;
    private final Map<String, Instant> revokedSince;
    private final List<UsageEvent> history;
    private final List<HousekeepingFinding> housekeeping;

    /** The mixed day of {@code keys} keys for {@code seed}, with the default rates. */
    public static MixedDay of(long seed, int keys, LocalDate day) {
        if (keys < MIN_KEYS || keys > SimulatorSettings.MAX_KEYS) {
            throw new IllegalArgumentException("a mixed day needs between " + MIN_KEYS + " and "
                    + SimulatorSettings.MAX_KEYS + " keys, got " + keys);
        }
        return new MixedDay(SimulatorSettings.DEFAULTS.withSeed(seed).withKeys(keys), day);
    }

    /** The mixed day for {@code settings} (keys, seed, rates; the demo and backfill settings play no part). */
    public MixedDay(SimulatorSettings settings, LocalDate day) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.day = Objects.requireNonNull(day, "day");
        if (settings.keys() < MIN_KEYS) {
            throw new IllegalArgumentException("a mixed day needs at least " + MIN_KEYS + " keys, got " + settings.keys());
        }
        this.start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        this.end = start.plus(Duration.ofDays(1));
        this.model = new TrafficModel(settings, start);
        SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), MIXED_DAY_STREAM, day.toEpochDay());

        List<IncidentKind> kinds = new ArrayList<>(Arrays.asList(IncidentKind.values()));
        shuffle(kinds, rng);
        Map<IncidentKind, String> targets = chooseKeys(rng);
        List<IncidentPlan> planned = new ArrayList<>();
        for (int slot = 0; slot < kinds.size(); slot++) {
            IncidentKind kind = kinds.get(slot);
            Instant at = start.plus(WARM_UP).plus(SLOT.multipliedBy(slot))
                    .plusSeconds(rng.nextInt(20 * 60)).plusMillis(rng.nextInt(1000));
            if (kind == IncidentKind.RATE_LIMIT_ABUSE) {
                at = at.truncatedTo(ChronoUnit.MINUTES); // six whole minutes above the limit
            } else if (kind == IncidentKind.SCOPE_VIOLATION) {
                at = at.truncatedTo(ChronoUnit.MINUTES).plusSeconds(5); // all 30 calls within one minute
            }
            planned.add(IncidentPlan.forKey(kind, model.profileOf(targets.get(kind)), at));
        }
        planned.sort(Comparator.comparing(IncidentPlan::start));
        this.plans = List.copyOf(planned);

        List<Incident> injected = new ArrayList<>();
        for (IncidentPlan plan : plans) {
            injected.add(IncidentFactory.create(plan, model.profileOf(plan.keyId()), settings.seed()).incident());
        }
        this.incidents = List.copyOf(injected);

        // the reuse needs a revoked key: revoked by a person 30 to 50 minutes before the reuse
        IncidentPlan reuse = plans.stream().filter(p -> p.kind() == IncidentKind.REVOKED_KEY_REUSE).findFirst()
                .orElseThrow();
        KeyProfile reused = model.profileOf(reuse.keyId());
        Instant revokedAt = reuse.start().minus(Duration.ofMinutes(30 + rng.nextInt(21))).truncatedTo(ChronoUnit.SECONDS);
        this.keyStateChanges = List.of(new KeyState(reused.keyId(), KeyStatus.REVOKED, revokedAt,
                "rotated by its owner after a CI log exposed it", "api:admin", reused.metadata()));
        this.revokedSince = Map.of(reused.keyId(), revokedAt);
        this.history = history();
        this.housekeeping = findHousekeeping();
    }

    private Map<IncidentKind, String> chooseKeys(SplittableRandom rng) {
        List<KeyProfile> pool = new ArrayList<>(model.activeKeys());
        shuffle(pool, rng);
        Map<IncidentKind, String> targets = new EnumMap<>(IncidentKind.class);
        // kinds that want a particular key choose first
        List<IncidentKind> order = new ArrayList<>(List.of(IncidentKind.NEW_COUNTRY, IncidentKind.IP_FANOUT));
        Arrays.stream(IncidentKind.values()).filter(k -> !order.contains(k)).forEach(order::add);
        for (IncidentKind kind : order) {
            String keyId = switch (kind) {
                case DORMANT_KEY_REACTIVATION -> pick(model.keys(KeyLifecycle.DORMANT), rng);
                case EXPIRED_KEY_USE -> pick(model.keys(KeyLifecycle.EXPIRED), rng);
                case UNKNOWN_KEY -> IncidentPlanner.unknownKeyId(rng, model);
                // a fan-out stands out best on a key of moderate volume: its usual volume from a few IPs
                case IP_FANOUT -> take(pool, k -> k.meanRatePerMinute() >= 5 && k.meanRatePerMinute() <= 60);
                // a country allow-list makes a new country detectable on the day itself: learning which countries
                // a key is used from takes a day of its history, which a one-day replay starting cold does not have
                case NEW_COUNTRY -> take(pool, k -> k.metadata().allowedCountries() != null);
                default -> take(pool, k -> true);
            };
            targets.put(kind, keyId);
        }
        return targets;
    }

    private static String pick(List<KeyProfile> keys, SplittableRandom rng) {
        return keys.get(rng.nextInt(keys.size())).keyId();
    }

    /** Removes and returns the first key of the pool that fits, or else the first key. */
    private static String take(List<KeyProfile> pool, Predicate<KeyProfile> preferred) {
        int index = 0;
        for (int i = 0; i < pool.size(); i++) {
            if (preferred.test(pool.get(i))) {
                index = i;
                break;
            }
        }
        return pool.remove(index).keyId();
    }

    /**
     * What came before the day, in time order: ten minutes of each silent key's ordinary traffic up to its last use,
     * and, from the first of those on, a request every week from every key that was in use then (and, when the day
     * is generated, {@link #PRE_DAY} of ordinary traffic). Without the weekly requests, the replay would show keys
     * the simulated world was using as silent for weeks, and keywatch would rightly call them unused.
     */
    private List<UsageEvent> history() {
        List<UsageEvent> events = new ArrayList<>();
        Instant historyStart = model.keys().stream()
                .filter(key -> !key.lifecycle().makesTraffic())
                .map(key -> key.lastUsedAt().minus(HISTORY))
                .min(Instant::compareTo)
                .orElse(start);
        for (KeyProfile key : model.keys()) {
            events.addAll(keepAlive(key, historyStart));
            if (key.lifecycle().makesTraffic()) {
                continue;
            }
            SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), HISTORY_STREAM, key.index());
            Instant from = key.lastUsedAt().minus(HISTORY);
            long spanMs = HISTORY.toMillis();
            int n = Math.max(3, RandomDraws.poisson(rng, key.meanRatePerMinute() * HISTORY.toMinutes()));
            long[] offsets = new long[n];
            for (int i = 0; i < n; i++) {
                offsets[i] = rng.nextLong(spanMs);
            }
            Arrays.sort(offsets);
            offsets[n - 1] = spanMs - 1; // the last use is the key's lastUsedAt, give or take a millisecond
            for (long offset : offsets) {
                events.add(RequestFactory.ordinary(key, from.plusMillis(offset), false, rng));
            }
        }
        events.sort(TrafficModel.BY_TIME);
        return List.copyOf(events);
    }

    /** A request a week from {@code historyStart} (or the key's creation) while the key was in use before the day. */
    private List<UsageEvent> keepAlive(KeyProfile key, Instant historyStart) {
        SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), KEEP_ALIVE_STREAM, key.index());
        Instant createdAt = key.metadata().createdAt();
        Instant from = createdAt != null && createdAt.isAfter(historyStart) ? createdAt.plus(Duration.ofHours(1)) : historyStart;
        boolean active = key.lifecycle().makesTraffic();
        Instant until = active ? start.minus(PRE_DAY).minus(Duration.ofHours(1)) : key.lastUsedAt().minus(HISTORY);
        List<UsageEvent> events = new ArrayList<>();
        for (Instant t = from; t.isBefore(until); t = t.plus(KEEP_ALIVE_EVERY)) {
            events.add(RequestFactory.ordinary(key, t.plusMillis(rng.nextLong(60_000)), false, rng));
        }
        if (active && from.isBefore(until)) {
            events.add(RequestFactory.ordinary(key, until.plusMillis(rng.nextLong(60_000)), false, rng));
        }
        return events;
    }

    private List<HousekeepingFinding> findHousekeeping() {
        List<HousekeepingFinding> findings = new ArrayList<>();
        for (KeyProfile key : model.keys()) {
            Instant expiresAt = key.metadata().expiresAt();
            if (key.lifecycle() == KeyLifecycle.DORMANT) {
                findings.add(new HousekeepingFinding(AlertRule.KEY_UNUSED, key.keyId(),
                        "unused since " + key.lastUsedAt()));
            }
            if (expiresAt != null && expiresAt.isBefore(end.plus(Duration.ofDays(14)))) {
                findings.add(new HousekeepingFinding(AlertRule.KEY_EXPIRING, key.keyId(),
                        (expiresAt.isBefore(start) ? "expired at " : "expires at ") + expiresAt));
            }
        }
        return List.copyOf(findings);
    }

    /**
     * Emits the history and then the day, incidents included, to {@code sink} in time order; returns the number of
     * events and the incidents injected (the same as {@link #incidents()}).
     */
    public GeneratedTraffic generate(EventSink sink) {
        Objects.requireNonNull(sink, "sink");
        history.forEach(sink::accept);
        long preDay = new TrafficGenerator(model).generate(start.minus(PRE_DAY), start, sink);
        GeneratedTraffic day = new TrafficGenerator(model).generate(start, end, plans, revokedSince, sink);
        sink.flush();
        return new GeneratedTraffic(history.size() + preDay + day.events(), day.incidents());
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public LocalDate day() {
        return day;
    }

    /** The day's first instant (UTC midnight). */
    public Instant start() {
        return start;
    }

    /** The instant after the day. */
    public Instant end() {
        return end;
    }

    /** The keys and their traffic; its registry is anchored at the day's start. */
    public TrafficModel model() {
        return model;
    }

    /** The injected incidents' plans, by start. */
    public List<IncidentPlan> plans() {
        return plans;
    }

    /** The ground truth: what each injected incident produced (kind, key, start, end, counts), by start. */
    public List<Incident> incidents() {
        return incidents;
    }

    /** Every registered key as it stands at the day's start (the unknown key is, by design, not among them). */
    public List<KeyState> registry() {
        return model.registry();
    }

    /** Key-state changes during the day, by time: the revocation before the REVOKED_KEY_REUSE. */
    public List<KeyState> keyStateChanges() {
        return keyStateChanges;
    }

    /** The registry, then the changes: every key state to publish, ordered by {@code changedAt}. */
    public List<KeyState> keyStateFeed() {
        List<KeyState> feed = new ArrayList<>(registry());
        feed.addAll(keyStateChanges);
        feed.sort(Comparator.comparing(KeyState::changedAt));
        return List.copyOf(feed);
    }

    /** Keys revoked during the day and from when: their ordinary requests are rejected (REVOKED, 401) from then. */
    public Map<String, Instant> revokedSince() {
        return revokedSince;
    }

    /** The silent keys' ordinary traffic before the day, in time order; the first events {@link #generate} emits. */
    public List<UsageEvent> historyEvents() {
        return history;
    }

    /** Registry findings a correct keywatch may raise on this day without an incident. */
    public List<HousekeepingFinding> housekeeping() {
        return housekeeping;
    }

    /** The incident of each kind, for scoring by kind. */
    public Map<IncidentKind, Incident> incidentsByKind() {
        Map<IncidentKind, Incident> byKind = new LinkedHashMap<>();
        incidents.forEach(i -> byKind.put(i.kind(), i));
        return byKind;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
