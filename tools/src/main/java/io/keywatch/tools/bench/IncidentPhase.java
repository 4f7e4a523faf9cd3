package io.keywatch.tools.bench;

import io.keywatch.events.signing.RecordSigningKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.keystatus.KeyStatusCache;
import io.keywatch.client.keystatus.KeyStatusCacheSettings;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Phases 2 and 3 in one run: background traffic with current timestamps at a steady rate, and brute-force incidents
 * (120 INVALID_SECRET within about a second, each on its own registered key) started one after another. For each
 * incident the send time of its 100th failure, the one that makes AUTH_FAILURE_BURST CRITICAL, is the start of three
 * clocks: the CRITICAL alert readable through GET /api/v1/alerts, the signed key.revoked webhook arriving at the
 * issuer's endpoint, and a KeyStatusCache seeing the key revoked; and a fourth, the alert on the alerts topic as a
 * read_committed consumer sees it, to compare with the pass-through topology ({@link PassThroughPhase}).
 */
final class IncidentPhase {

    static final int FAILURES_PER_INCIDENT = 120;
    /** The 100th failure crosses the default CRITICAL threshold (KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL). */
    static final int CROSSING_INDEX = 99;
    static final long FAILURE_SPACING_MS = 8;
    static final long INCIDENT_SPACING_MS = 250;
    /** The API's largest page. */
    private static final int MAX_PAGE = 500;
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String bootstrap;
    private final String usageTopic;
    private final String alertsTopic;
    private final ApiClient api;
    private final Progress progress;
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final JsonSerde<UsageEvent> serde = new JsonSerde<>(json, UsageEvent.class);

    private final Map<String, Long> crossingSent = new ConcurrentHashMap<>();
    private final Map<String, Long> crossingSentWallMs = new ConcurrentHashMap<>();
    private final Set<String> detected = ConcurrentHashMap.newKeySet();
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Set<String> cached = ConcurrentHashMap.newKeySet();
    private final Set<String> onTopic = ConcurrentHashMap.newKeySet();
    private final LatencyRecorder detection = new LatencyRecorder();
    private final LatencyRecorder topology = new LatencyRecorder();
    private final LatencyRecorder webhook = new LatencyRecorder();
    private final LatencyRecorder cache = new LatencyRecorder();
    private final LatencyRecorder alertTopic = new LatencyRecorder();
    private long firstSendMs = -1;
    private long sentEvents;
    private final RecordSigningKeys signingKeys;

    IncidentPhase(String bootstrap, String usageTopic, String alertsTopic, ApiClient api, Progress progress,
                  RecordSigningKeys signingKeys) {
        this.bootstrap = bootstrap;
        this.signingKeys = signingKeys;
        this.usageTopic = usageTopic;
        this.alertsTopic = alertsTopic;
        this.api = api;
        this.progress = progress;
    }

    /** When each incident starts (epoch ms): one every 250 ms, none straddling a minute (the rule counts per minute). */
    static long[] incidentStarts(long firstStartMs, int incidents) {
        long[] starts = new long[incidents];
        long duration = FAILURES_PER_INCIDENT * FAILURE_SPACING_MS;
        long t = firstStartMs;
        for (int i = 0; i < incidents; i++) {
            if (t % 60_000 + duration + 200 >= 60_000) {
                t = (t / 60_000 + 1) * 60_000 + 100;
            }
            starts[i] = t;
            t += INCIDENT_SPACING_MS;
        }
        return starts;
    }

    /**
     * @param lagProbe the topology's consumer lag on the usage-events topic, asked when sending ends
     */
    Result run(Background.Source backgroundSource, List<String> incidentKeys, int targetRate,
               java.util.function.LongSupplier lagProbe) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(this::onWebhook);
             KeyStatusCache keyStatus = KeyStatusCache.start(KeyStatusCacheSettings.of(bootstrap).withRecordSigningKeys(signingKeys),
                     (keyId, before, now) -> {
                         if (now != null && now.isRevoked()) {
                             onRevokedInCache(keyId, System.nanoTime());
                         }
                     });
             Producer<String, byte[]> producer = BenchStreams.latencyProducer(bootstrap)) {
            String subscription = subscribe(receiver.url());
            try {
                if (!keyStatus.awaitCaughtUp(java.time.Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the KeyStatusCache did not catch up within 60 s");
                }
                // made once everything listens: its first events must not wait for the set-up as a backlog
                try (Background background = backgroundSource.start(usageTopic)) {
                    return measure(producer, background, incidentKeys, targetRate, lagProbe);
                }
            } finally {
                // a later phase's incidents must not be delivered to this receiver once it is closed (retries)
                api.delete("/api/v1/webhooks/" + subscription);
            }
        }
    }

    private Result measure(Producer<String, byte[]> producer, Background background, List<String> incidentKeys,
                           int targetRate, java.util.function.LongSupplier lagProbe) throws Exception {
        // the first incident two seconds into the background, so that it meets the load, not an idle topology
        long firstIncidentMs = background.firstDueMs() + 2_000;
        long[] starts = incidentStarts(firstIncidentMs, incidentKeys.size());
        Thread poller = new Thread(() -> pollAlerts(incidentKeys), "bench-alert-poller");
        poller.setDaemon(true);
        poller.start();
        Thread topicReader = new Thread(() -> readAlertsTopic(Set.copyOf(incidentKeys)), "bench-alert-topic-reader");
        topicReader.setDaemon(true);
        topicReader.start();
        progress.say("detection: %,d background events/s (sent %s) and %d brute-force incidents from %s",
                targetRate, background.publisher(), incidentKeys.size(), Instant.ofEpochMilli(firstIncidentMs));
        double achieved = send(producer, background, incidentKeys, starts);
        long sendEnd = System.nanoTime();
        long backlog = lagProbe.getAsLong();
        progress.say("detection: sending done at %,.0f events/s; the topology is %,d events behind", achieved,
                backlog);
        long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        for (long lag = backlog; lag > 0 && System.nanoTime() < drainDeadline; lag = lagProbe.getAsLong()) {
            Thread.sleep(50);
        }
        long drained = System.nanoTime();
        double drainSeconds = (drained - sendEnd) / 1e9;
        double sustained = sentEvents / ((System.currentTimeMillis() - firstSendMs) / 1e3);
        progress.say("detection: the topology caught up %.1f s after sending ended: %,.0f events/s sustained",
                drainSeconds, sustained);
        long deadline = System.nanoTime() + SETTLE_NANOS;
        int n = incidentKeys.size();
        while (System.nanoTime() < deadline
                && (detected.size() < n || delivered.size() < n || cached.size() < n || onTopic.size() < n)) {
            Thread.sleep(20);
        }
        poller.interrupt();
        poller.join(5_000);
        topicReader.interrupt();
        topicReader.join(5_000);
        progress.say("detection: %d of %d alerts seen, %d of %d webhooks, %d of %d revocations in the cache",
                detected.size(), n, delivered.size(), n, cached.size(), n);
        return new Result(achieved, backlog, drainSeconds, sustained, detection.summary(), topology.summary(),
                alertTopic.summary(), webhook.summary(), cache.summary());
    }

    record Result(double achievedRate, long backlogAtEnd, double drainSeconds, double sustainedRate,
                  LatencyRecorder.Latencies detection, LatencyRecorder.Latencies topology,
                  LatencyRecorder.Latencies alertTopic, LatencyRecorder.Latencies webhook,
                  LatencyRecorder.Latencies cache) {
    }

    /**
     * Sends the incidents' failures on their schedule and, from this process, the background events due (a child
     * process sends its own); returns the background's rate once all of it was sent.
     */
    private double send(Producer<String, byte[]> producer, Background background, List<String> keys, long[] starts)
            throws Exception {
        int incidents = keys.size();
        int failures = incidents * FAILURES_PER_INCIDENT;
        int fail = 0;
        long firstFailureMs = -1;
        long lastReport = System.nanoTime();
        while (!background.done() || fail < failures) {
            long now = System.currentTimeMillis();
            boolean sent = background.sendDue(producer, usageTopic, now);
            while (fail < failures) {
                int incident = fail / FAILURES_PER_INCIDENT;
                int index = fail % FAILURES_PER_INCIDENT;
                long due = starts[incident] + index * FAILURE_SPACING_MS;
                if (due > now) {
                    break;
                }
                String keyId = keys.get(incident);
                byte[] value = serde.toBytes(failure(keyId, Instant.ofEpochMilli(due), incident, index));
                if (index == CROSSING_INDEX) {
                    crossingSentWallMs.put(keyId, System.currentTimeMillis());
                    crossingSent.put(keyId, System.nanoTime());
                }
                producer.send(new ProducerRecord<>(usageTopic, null, due, keyId, value));
                if (firstFailureMs < 0) {
                    firstFailureMs = System.currentTimeMillis();
                }
                fail++;
                sent = true;
            }
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
                progress.say("detection: %,d of %,d failures sent; %d alerts, %d webhooks, %d cache revocations so far",
                        fail, failures, detected.size(), delivered.size(), cached.size());
                lastReport = System.nanoTime();
            }
            if (!sent) {
                LockSupport.parkNanos(200_000);
            }
        }
        producer.flush();
        Background.Sent bg = background.finish();
        sentEvents = bg.events() + fail;
        firstSendMs = bg.firstSendMs() < 0 ? firstFailureMs : Math.min(bg.firstSendMs(), firstFailureMs);
        if (bg.maxBehindMs() > 1_000) {
            progress.say("detection: the sender fell up to %,d ms behind schedule", bg.maxBehindMs());
        }
        return bg.rate();
    }

    private static UsageEvent failure(String keyId, Instant at, int incident, int index) {
        return UsageEvent.of("bench-incident-" + incident + "-" + index + "-" + at.toEpochMilli(), keyId, at,
                        "payments", AuthResult.INVALID_SECRET)
                .withRequest("POST", "/v1/charges", 401)
                .withClient("198.51.100." + (incident % 200 + 1), "NL", "bench-brute-force/1.0")
                .withDetails(3, "payments:write", true, CredentialLocation.HEADER);
    }

    /**
     * Asks the API, as a dashboard would, for the CRITICAL brute-force alerts raised since the phase began: one request
     * a round for all incidents (a request per incident made the last of 50 wait for the other 49). Also records when
     * the topology detected each (the alert's lastSeen, the CRITICAL occurrence) to split the latency.
     */
    private void pollAlerts(List<String> keys) {
        Set<String> incidents = Set.copyOf(keys);
        while (!Thread.currentThread().isInterrupted() && detected.size() < keys.size()) {
            // only alerts that may still be pending: first seen (the HIGH occurrence, ~0.7 s before the crossing) at
            // most a few seconds before the oldest pending crossing, so a round reads a handful of alerts, not all
            long oldestPending = crossingSentWallMs.entrySet().stream()
                    .filter(entry -> !detected.contains(entry.getKey()))
                    .mapToLong(Map.Entry::getValue).min().orElse(Long.MAX_VALUE);
            if (oldestPending != Long.MAX_VALUE) {
                String query = "/api/v1/alerts?limit=" + MAX_PAGE + "&rule=AUTH_FAILURE_BURST&severity=CRITICAL&since="
                        + URLEncoder.encode(Instant.ofEpochMilli(oldestPending - 5_000).toString(),
                        StandardCharsets.UTF_8);
                try {
                    String cursor = null;
                    do {
                        HttpResponse<String> response = api.get(cursor == null ? query
                                : query + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                        long seen = System.nanoTime();
                        if (response.statusCode() != 200) {
                            break;
                        }
                        JsonNode page = json.readTree(response.body());
                        for (JsonNode item : page.path("items")) {
                            String keyId = item.path("keyId").asText();
                            Long sent = crossingSent.get(keyId);
                            if (sent != null && incidents.contains(keyId)
                                    && "CRITICAL".equals(item.path("severity").asText()) && detected.add(keyId)) {
                                detection.record(seen - sent);
                                long detectedAt = Instant.parse(item.path("lastSeen").asText()).toEpochMilli();
                                topology.record(TimeUnit.MILLISECONDS.toNanos(
                                        Math.max(0, detectedAt - crossingSentWallMs.get(keyId))));
                            }
                        }
                        cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
                    } while (cursor != null);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    progress.say("detection: polling the API failed: %s", e);
                }
            }
            // a dashboard-like 50 requests/s: asking flat out took a CPU from the two the pipeline runs on
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
    }

    /**
     * Reads the alerts topic as a downstream consumer would (read_committed: what the topology committed) and times
     * each incident's CRITICAL AUTH_FAILURE_BURST from its crossing event's send.
     */
    private void readAlertsTopic(Set<String> incidents) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "keywatch-bench-alert-topic-reader");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(alertsTopic));
            while (!Thread.currentThread().isInterrupted() && onTopic.size() < incidents.size()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(java.time.Duration.ofMillis(20))) {
                    long seen = System.nanoTime();
                    Long sent = record.key() == null ? null : crossingSent.get(record.key());
                    if (sent == null || !incidents.contains(record.key()) || onTopic.contains(record.key())) {
                        continue;
                    }
                    JsonNode alert = json.readTree(record.value());
                    if ("AUTH_FAILURE_BURST".equals(alert.path("rule").asText())
                            && "CRITICAL".equals(alert.path("severity").asText()) && onTopic.add(record.key())) {
                        alertTopic.record(seen - sent);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // the phase is over
        } catch (java.io.IOException e) {
            progress.say("detection: reading the alerts topic failed: %s", e);
        }
    }

    private void onWebhook(String keyId, long arrived) {
        Long sent = crossingSent.get(keyId);
        if (sent != null && delivered.add(keyId)) {
            webhook.record(arrived - sent);
        }
    }

    private void onRevokedInCache(String keyId, long seen) {
        Long sent = crossingSent.get(keyId);
        if (sent != null && cached.add(keyId)) {
            cache.record(seen - sent);
        }
    }

    /** Subscribes the bench's receiver to key.revoked; returns the subscription's id. */
    private String subscribe(String url) throws Exception {
        String body = json.writeValueAsString(Map.of("url", url, "eventTypes", List.of("key.revoked"),
                "owner", "bench", "description", "keywatch-tools bench issuer endpoint"));
        HttpResponse<String> response = api.post("/api/v1/webhooks", body);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("subscribing the bench's webhook endpoint failed: HTTP "
                    + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body()).path("id").asText();
    }

    /** The ids of the keys that incidents hit, registered before the phase. */
    static List<String> incidentKeyIds(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(String.format(java.util.Locale.ROOT, "bench-incident-%04d", i));
        }
        return ids;
    }
}
