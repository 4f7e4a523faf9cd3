package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.simulator.TrafficModel;
import io.keywatch.tools.backtest.ConsoleLogs;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;

/**
 * The child JVM that {@link PublisherProcess} starts: generates the simulated keys' traffic at a rate, sends it on
 * its timestamps to a topic, and prints what it sent as one JSON line ({@link Background.Sent}) on stdout. Progress and
 * errors go to stderr. Arguments, in order: bootstrap servers, topic, keys, seed, events/s, first event (epoch ms),
 * seconds.
 */
public final class LoadPublisherMain {

    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    private LoadPublisherMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: LoadPublisherMain BOOTSTRAP TOPIC KEYS SEED RATE START_EPOCH_MS SECONDS");
            System.exit(2);
            return;
        }
        Background.Sent sent;
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            sent = run(args[0], args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    Instant.ofEpochMilli(Long.parseLong(args[5])), Long.parseLong(args[6]));
        } catch (IllegalArgumentException e) {
            // a bad number or setting: one line, not a stack trace, and the bench reports the exit code
            System.err.println("publisher: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(JSON.writeValueAsString(sent));
        System.out.flush();
    }

    static Background.Sent run(String bootstrap, String topic, int keys, long seed, int rate, Instant start,
                               long seconds) {
        TrafficModel model = EventBatch.atRate(
                new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(keys).withSeed(seed)), rate, start);
        try (Producer<String, byte[]> producer = BenchStreams.latencyProducer(bootstrap)) {
            // the topic's metadata first: a first send that waits for it would put the schedule behind at once
            producer.partitionsFor(topic);
            EventBatch batch = EventBatch.duringAtRate(model, start, seconds, rate);
            // generation may have outlasted its lead: start half a second from now rather than in a burst
            PacedEvents paced = new PacedEvents(batch).startingNoEarlierThan(System.currentTimeMillis() + 500);
            System.err.printf("publisher: %,d events for %,d keys at %,d events/s; sending%n", batch.size(), keys,
                    rate);
            while (!paced.done()) {
                if (!paced.sendDue(producer, topic, System.currentTimeMillis())) {
                    LockSupport.parkNanos(200_000);
                }
            }
            producer.flush();
            return paced.finish();
        }
    }
}
