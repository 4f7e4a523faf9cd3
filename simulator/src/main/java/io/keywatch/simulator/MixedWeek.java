package io.keywatch.simulator;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Simulated UTC days (a week by default) with ground truth, for measuring volume detection where the
 * {@link MixedDay} is too kind: every key has a weekly rhythm as well as its daily one (weekends at 20 to 30 %, a
 * Monday-morning ramp, see {@link WeeklyRhythm}); the population reaches down to quiet keys (from 0.2 requests a
 * minute); and it injects the {@link WeekScenario}s: two busy keys leaked (one on a weekday, one on a weekend day),
 * two quiet keys (about 5 a minute) leaked to one scraper each (60 a minute more, from one IP, for 30 min), and two
 * keys whose normal volume steps up three times and stays.
 *
 * <p>Ordinary traffic is drawn a minute at a time (a Poisson count per key and minute, spread uniformly over it),
 * so a week of 50 keys takes seconds to generate. The same settings, first day and length always give the same
 * events. The registry is the {@link TrafficModel}'s (anchored at the first day); dormant and expired keys stay
 * silent.
 */
public final class MixedWeek {

    public static final int MIN_KEYS = 8;
    public static final int MIN_DAYS = 3;
    public static final int MAX_DAYS = 28;
    public static final int DEFAULT_DAYS = 7;
    /** The small-key leak: one scraper adds this many requests a minute... */
    public static final int SCRAPER_PER_MINUTE = 60;
    /** ... for this long. */
    public static final Duration SCRAPER_DURATION = Duration.ofMinutes(30);
    /** A level shift multiplies the key's volume by this, from the step on. */
    public static final double LEVEL_SHIFT_FACTOR = 3;

    private static final long WEEK_STREAM = 0x7765656bL;
    private static final long ORDINARY_STREAM = 0x6f7264L;

    private final SimulatorSettings settings;
    private final LocalDate firstDay;
    private final int days;
    private final Instant start;
    private final Instant end;
    private final TrafficModel model;
    private final Map<String, WeeklyRhythm> weekly = new LinkedHashMap<>();
    private final Map<String, Instant> levelShiftFrom = new LinkedHashMap<>();
    private final List<WeekIncident> incidents = new ArrayList<>();
    private final List<UsageEvent> incidentEvents = new ArrayList<>();

    public MixedWeek(SimulatorSettings settings, LocalDate firstDay, int days) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.firstDay = Objects.requireNonNull(firstDay, "firstDay");
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("a simulated week lasts " + MIN_DAYS + " to " + MAX_DAYS
                    + " days, got " + days);
        }
        if (settings.keys() < MIN_KEYS) {
            throw new IllegalArgumentException("a simulated week needs at least " + MIN_KEYS + " keys, got "
                    + settings.keys());
        }
        this.days = days;
        this.start = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        this.end = start.plus(Duration.ofDays(days));
        this.model = new TrafficModel(settings, start);
        SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), WEEK_STREAM, firstDay.toEpochDay(), days);
        for (KeyProfile key : model.activeKeys()) {
            weekly.put(key.keyId(), new WeeklyRhythm(0.2 + 0.1 * rng.nextDouble(), 1.2 + 0.3 * rng.nextDouble()));
        }
        plan(rng);
        incidentEvents.sort(TrafficModel.BY_TIME);
    }

    private void plan(SplittableRandom rng) {
        // scenarios go to keys that stay valid all period: an expiring key's traffic stops at its expiry
        List<KeyProfile> pool = model.activeKeys().stream().filter(k -> !expiresWithin(k)).toList();
        Set<String> taken = new HashSet<>();
        int weekday = firstDayWhere(d -> d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY, 1);
        int weekend = firstDayWhere(d -> d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY, days - 1);
        for (int day : new int[] {weekday, weekend}) {
            KeyProfile busy = closest(pool, taken, 1000, rng); // the busiest left
            Instant at = at(day, 10, rng);
            IncidentPlan plan = IncidentPlan.forKey(IncidentKind.LEAKED_KEY, busy, at);
            IncidentTraffic traffic = IncidentFactory.create(plan, busy, settings.seed());
            incidentEvents.addAll(traffic.events());
            incidents.add(new WeekIncident(WeekScenario.LEAKED_KEY, busy.keyId(), plan.start(), plan.end(),
                    traffic.events().size(), traffic.incident().describe()));

            KeyProfile quiet = closest(pool, taken, 5, rng);
            smallKeyLeak(quiet, at(day, 13, rng), rng);
        }
        int[] shiftDays = {Math.min(2, days - 1), Math.min(3, days - 1)};
        for (int day : shiftDays) {
            KeyProfile shifted = closest(pool, taken, 10, rng);
            Instant from = at(day, 8, rng);
            levelShiftFrom.put(shifted.keyId(), from);
            incidents.add(new WeekIncident(WeekScenario.LEVEL_SHIFT, shifted.keyId(), from, end, 0,
                    String.format(Locale.ROOT, "normal volume x%.0f from %s (mean %.2f -> %.2f requests/min)",
                            LEVEL_SHIFT_FACTOR, from, shifted.meanRatePerMinute(),
                            shifted.meanRatePerMinute() * LEVEL_SHIFT_FACTOR)));
        }
        incidents.sort(Comparator.comparing(WeekIncident::start));
    }

    /** One IP, a request a second (give or take), for {@link #SCRAPER_DURATION}, from the key's home country. */
    private void smallKeyLeak(KeyProfile key, Instant at, SplittableRandom rng) {
        String ip = "203.0.113." + (200 + rng.nextInt(50));
        String agent = RandomDraws.pick(rng, Catalog.ABUSE_AGENTS);
        long count = SCRAPER_DURATION.toMinutes() * SCRAPER_PER_MINUTE;
        long spacing = 60_000 / SCRAPER_PER_MINUTE;
        for (long i = 0; i < count; i++) {
            Route route = RequestFactory.pickRoute(key.routes(), rng);
            Instant time = at.plusMillis(i * spacing + rng.nextLong(spacing));
            incidentEvents.add(UsageEvent.of(RandomDraws.uuid(rng).toString(), key.keyId(), time, key.service(),
                            AuthResult.OK)
                    .withRequest(route.method(), route.path(), 200)
                    .withClient(ip, key.homeCountry(), agent)
                    .withDetails(RequestFactory.latency(route, 200, rng), RequestFactory.scope(key.service(), route),
                            true, CredentialLocation.HEADER));
        }
        incidents.add(new WeekIncident(WeekScenario.SMALL_KEY_LEAKED, key.keyId(), at, at.plus(SCRAPER_DURATION),
                count, String.format(Locale.ROOT, "one scraper at %s (%s) adds %d requests/min to a key of %.2f",
                ip, agent, SCRAPER_PER_MINUTE, key.meanRatePerMinute())));
    }

    /** The untaken key whose mean rate is closest to {@code ratePerMinute} on a log scale (ties: the first). */
    private static KeyProfile closest(List<KeyProfile> pool, Set<String> taken, double ratePerMinute,
                                      SplittableRandom rng) {
        KeyProfile best = null;
        double bestDistance = Double.MAX_VALUE;
        for (KeyProfile key : pool) {
            if (taken.contains(key.keyId())) {
                continue;
            }
            double distance = Math.abs(Math.log(key.meanRatePerMinute() / ratePerMinute));
            if (distance < bestDistance) {
                best = key;
                bestDistance = distance;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("not enough active keys for every scenario");
        }
        taken.add(best.keyId());
        return best;
    }

    private int firstDayWhere(java.util.function.Predicate<DayOfWeek> test, int fallback) {
        for (int day = 1; day < days; day++) {
            if (test.test(firstDay.plusDays(day).getDayOfWeek())) {
                return day;
            }
        }
        return fallback;
    }

    /** On day {@code day} (0-based), between {@code hour}:00 and four hours later, to the second. */
    private Instant at(int day, int hour, SplittableRandom rng) {
        return start.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).plusSeconds(rng.nextInt(4 * 3600));
    }

    private boolean expiresWithin(KeyProfile key) {
        Instant expiresAt = key.metadata() == null ? null : key.metadata().expiresAt();
        return expiresAt != null && expiresAt.isBefore(end);
    }

    /**
     * The expected requests per minute of {@code key} at {@code time}: daily and weekly rhythm, level shift; 0 from
     * the key's registered expiry on (its owner moved to a new key in time: the mixed day's expired-key use is an
     * incident, not the background).
     */
    public double ratePerMinuteAt(KeyProfile key, Instant time) {
        Instant expiresAt = key.metadata() == null ? null : key.metadata().expiresAt();
        if (expiresAt != null && !time.isBefore(expiresAt.minusSeconds(60))) {
            return 0;
        }
        WeeklyRhythm rhythm = weekly.getOrDefault(key.keyId(), WeeklyRhythm.FLAT);
        Instant shift = levelShiftFrom.get(key.keyId());
        double factor = shift != null && !time.isBefore(shift) ? LEVEL_SHIFT_FACTOR : 1;
        return key.ratePerSecondAt(time) * 60 * rhythm.factorAt(time) * factor;
    }

    /** Emits every event of the period, incidents included, to {@code sink} in time order; returns how many. */
    public long generate(EventSink sink) {
        Objects.requireNonNull(sink, "sink");
        long emitted = 0;
        int nextIncident = 0;
        List<KeyProfile> active = model.activeKeys();
        List<UsageEvent> minute = new ArrayList<>();
        for (Instant m = start; m.isBefore(end); m = m.plus(1, ChronoUnit.MINUTES)) {
            Instant next = m.plusSeconds(60);
            Instant middle = m.plusSeconds(30);
            long epochMinute = m.getEpochSecond() / 60;
            minute.clear();
            for (KeyProfile key : active) {
                SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), ORDINARY_STREAM, key.index(),
                        epochMinute);
                int n = RandomDraws.poisson(rng, ratePerMinuteAt(key, middle));
                for (int i = 0; i < n; i++) {
                    minute.add(RequestFactory.ordinary(key, m.plusMillis(rng.nextInt(60_000)), false, rng));
                }
            }
            while (nextIncident < incidentEvents.size() && incidentEvents.get(nextIncident).timestamp().isBefore(next)) {
                minute.add(incidentEvents.get(nextIncident++));
            }
            minute.sort(TrafficModel.BY_TIME); // stable: deterministic for ties
            for (UsageEvent event : minute) {
                sink.accept(event);
            }
            emitted += minute.size();
        }
        sink.flush();
        return emitted;
    }

    /** Every registered key's state (ACTIVE with metadata), by {@code changedAt}: publish before the events. */
    public List<KeyState> keyStateFeed() {
        List<KeyState> feed = new ArrayList<>(model.registry());
        feed.sort(Comparator.comparing(KeyState::changedAt));
        return List.copyOf(feed);
    }

    /** The injected scenarios, by start. */
    public List<WeekIncident> incidents() {
        return List.copyOf(incidents);
    }

    public WeeklyRhythm weeklyRhythm(String keyId) {
        return weekly.getOrDefault(keyId, WeeklyRhythm.FLAT);
    }

    public TrafficModel model() {
        return model;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public LocalDate firstDay() {
        return firstDay;
    }

    public int days() {
        return days;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }
}
