package io.keywatch.standalone.bench;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.ingest.simulator.KeyProfile;
import io.keywatch.ingest.simulator.TrafficModel;
import java.time.Instant;
import java.util.Map;

/**
 * Simulated usage events serialized once, before anything is measured, so that generating and serializing them never
 * competes with what is measured: keys, event times (epoch ms) and JSON bytes in parallel arrays.
 */
final class EventBatch {

    private static final JsonSerde<UsageEvent> SERDE = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);

    final String[] keys;
    final long[] timestamps;
    final byte[][] values;
    private int size;
    private long bytes;

    private EventBatch(int capacity) {
        keys = new String[capacity];
        timestamps = new long[capacity];
        values = new byte[capacity][];
    }

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    private boolean add(UsageEvent event) {
        if (size == keys.length) {
            return false;
        }
        keys[size] = event.keyId();
        timestamps[size] = event.timestamp().toEpochMilli();
        values[size] = SERDE.toBytes(event);
        bytes += values[size].length;
        size++;
        return true;
    }

    /** Events per second the model's keys make at {@code at}, summed over its active keys. */
    static double modelRate(TrafficModel model, Instant at) {
        return model.activeKeys().stream().mapToDouble(k -> k.ratePerSecondAt(at)).sum();
    }

    /**
     * Exactly {@code count} events of the model's ordinary traffic, second after second, starting early enough that
     * they end about at {@code end} (event time; the topology sees a realistic recent past).
     */
    static EventBatch recentPast(TrafficModel model, int count, Instant end) {
        double rate = Math.max(1.0, modelRate(model, end));
        long seconds = (long) Math.ceil(count / rate) + 1;
        return fromSecond(model, count, end.minusSeconds(seconds), Long.MAX_VALUE);
    }

    /** The model's traffic for {@code seconds} seconds from {@code start}, at most {@code max} events. */
    static EventBatch during(TrafficModel model, Instant start, long seconds, int max) {
        return fromSecond(model, max, start, seconds);
    }

    private static EventBatch fromSecond(TrafficModel model, int max, Instant start, long seconds) {
        EventBatch batch = new EventBatch(max);
        Instant second = Instant.ofEpochSecond(start.getEpochSecond());
        for (long s = 0; s < seconds && batch.size < max; s++, second = second.plusSeconds(1)) {
            for (UsageEvent event : model.secondOfTraffic(second, Map.of())) {
                if (!batch.add(event)) {
                    break;
                }
            }
        }
        return batch;
    }

    /** For callers that want the model's key ids (the synthetic alerts use them). */
    static String[] keyIds(TrafficModel model) {
        return model.activeKeys().stream().map(KeyProfile::keyId).toArray(String[]::new);
    }
}
