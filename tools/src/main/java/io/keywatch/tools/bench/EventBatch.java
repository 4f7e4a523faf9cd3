package io.keywatch.tools.bench;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.simulator.KeyProfile;
import io.keywatch.simulator.TrafficModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Simulated usage events serialized once, before anything is measured, so that generating and serializing them never
 * competes with what is measured: keys, event times (epoch ms) and JSON bytes.
 *
 * <p>The JSON lives in 16 MiB slabs rather than one array per event: a few million small arrays would stay live in
 * the bench's heap, which is also keywatch's, for the whole phase, and the collector would keep marking and copying
 * them while the topology is timed. A slab is one object that the collector neither scans nor moves.
 */
final class EventBatch {

    private static final JsonSerde<UsageEvent> SERDE = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private static final int SLAB_BYTES = 16 << 20;

    private final String[] keys;
    private final long[] timestamps;
    // per event: slab index in the high 32 bits, offset in the low; and the length
    private final long[] positions;
    private final int[] lengths;
    private final List<byte[]> slabs = new ArrayList<>();
    private int slabUsed = SLAB_BYTES;
    private int size;
    private long bytes;

    private EventBatch(int capacity) {
        keys = new String[capacity];
        timestamps = new long[capacity];
        positions = new long[capacity];
        lengths = new int[capacity];
    }

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    String key(int i) {
        return keys[i];
    }

    long timestamp(int i) {
        return timestamps[i];
    }

    /** A fresh copy of event {@code i}'s JSON (short-lived: the producer is done with it once it is sent). */
    byte[] value(int i) {
        byte[] slab = slabs.get((int) (positions[i] >>> 32));
        int offset = (int) positions[i];
        return Arrays.copyOfRange(slab, offset, offset + lengths[i]);
    }

    private boolean add(UsageEvent event) {
        if (size == keys.length) {
            return false;
        }
        byte[] json = SERDE.toBytes(event);
        if (slabUsed + json.length > SLAB_BYTES) {
            slabs.add(new byte[Math.max(SLAB_BYTES, json.length)]);
            slabUsed = 0;
        }
        System.arraycopy(json, 0, slabs.get(slabs.size() - 1), slabUsed, json.length);
        keys[size] = event.keyId();
        timestamps[size] = event.timestamp().toEpochMilli();
        positions[size] = ((long) (slabs.size() - 1) << 32) | slabUsed;
        lengths[size] = json.length;
        slabUsed += json.length;
        bytes += json.length;
        size++;
        return true;
    }

    /** Events per second the model's keys make at {@code at}, summed over its active keys. */
    static double modelRate(TrafficModel model, Instant at) {
        return model.activeKeys().stream().mapToDouble(k -> k.ratePerSecondAt(at)).sum();
    }

    /**
     * How long before the first event is due its batch must start being made: about 200,000 events are generated and
     * serialized a second here, plus a margin.
     */
    static long generationLeadSeconds(long seconds, int rate) {
        return 3 + seconds * rate / 200_000;
    }

    /** The model with its rates scaled so that its keys together make about {@code rate} events/s at {@code at}. */
    static TrafficModel atRate(TrafficModel model, int rate, Instant at) {
        double scale = rate / Math.max(1.0, modelRate(model, at));
        return new TrafficModel(model.settings().withRateScale(scale));
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

    /** The model's traffic at about {@code rate} events/s for {@code seconds} from {@code start}, with room for bursts. */
    static EventBatch duringAtRate(TrafficModel model, Instant start, long seconds, int rate) {
        return during(model, start, seconds, (int) Math.min(Integer.MAX_VALUE - 8, (long) rate * seconds * 2));
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
