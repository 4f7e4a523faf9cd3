package io.keywatch.standalone.dlq;

import io.keywatch.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Republishes dead letters to the topic they came from (or an override): the original key, value and headers,
 * without keywatch's dead-letter headers, plus {@code keywatch.dlq.replayed-from} naming the dead letter, so the
 * replay is traceable. A record still broken after the replay is dead-lettered again, carrying that header.
 */
public final class DeadLetterReplayer {

    /** One dead letter's fate: where it went (or would go), or why it was skipped. */
    public record Outcome(DeadLetterRecord record, Optional<String> target, Optional<String> skipped) {
    }

    /** Per reason code: replayed (or would be, in a dry run) and skipped. */
    public record Summary(Map<String, Long> replayed, Map<String, Long> skipped, List<Outcome> outcomes, boolean dryRun) {
        public long replayedTotal() {
            return replayed.values().stream().mapToLong(Long::longValue).sum();
        }

        public long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Optional<Producer<byte[], byte[]>> producer;
    private final Optional<String> overrideTarget;
    private final String frontDoor;
    private final Set<String> sources;

    /**
     * With no producer, a dry run: reports what would be replayed, sends nothing. {@code frontDoor} is the
     * usage-events topic, which the skip message of a record from an internal topic names; {@code sources} are the
     * topics the dead-letter topic collects from, the only targets an origin header may name (it is part of the
     * record: a forged one must not make a replay write to, say, {@code keywatch.key-state}); {@code --to} is the
     * operator's word and may name any topic but an internal one.
     */
    public DeadLetterReplayer(Optional<Producer<byte[], byte[]>> producer, Optional<String> overrideTarget,
                              String frontDoor, Set<String> sources) {
        this.producer = producer;
        this.overrideTarget = overrideTarget;
        this.frontDoor = frontDoor;
        this.sources = Set.copyOf(sources);
    }

    /**
     * True for Kafka Streams' internal topics. A record written there goes past the topology's parsing and
     * redaction (a late event's origin is the re-keying topic {@code <app>-...-repartition}), so never a target.
     */
    public static boolean isInternal(String topic) {
        return topic.endsWith("-repartition") || topic.endsWith("-changelog");
    }

    public Summary replay(DeadLetterReader reader, String topic, DeadLetterSelection selection, int keepOutcomes)
            throws InterruptedException, ExecutionException {
        Map<String, Long> replayed = new TreeMap<>();
        Map<String, Long> skipped = new TreeMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        reader.forEach(topic, record -> {
            if (!selection.test(record)) {
                return;
            }
            Optional<String> target = overrideTarget.or(() -> record.origin().map(Origin::topic));
            Outcome outcome;
            if (target.isEmpty()) {
                outcome = new Outcome(record, target, Optional.of("no valid keywatch.dlq.origin header; use --to"));
                skipped.merge(record.reasonCode(), 1L, Long::sum);
            } else if (isInternal(target.get())) {
                String why = overrideTarget.isPresent()
                        ? "--to names a Kafka Streams internal topic, which skips parsing and redaction"
                        : "came from a Kafka Streams internal topic, which skips parsing and redaction";
                outcome = new Outcome(record, target, Optional.of(why + "; --to " + frontDoor
                        + " replays it through the front door"));
                skipped.merge(record.reasonCode(), 1L, Long::sum);
            } else if (overrideTarget.isEmpty() && !sources.contains(target.get())) {
                outcome = new Outcome(record, target, Optional.of("its origin header names a topic this dead-letter "
                        + "topic does not collect from (" + String.join(", ", new TreeSet<>(sources))
                        + "); a forged origin is never followed; --to names a target yourself"));
                skipped.merge(record.reasonCode(), 1L, Long::sum);
            } else {
                producer.ifPresent(p -> sends.add(p.send(toReplay(record, target.get()))));
                outcome = new Outcome(record, target, Optional.empty());
                replayed.merge(record.reasonCode(), 1L, Long::sum);
            }
            if (outcomes.size() < keepOutcomes) {
                outcomes.add(outcome);
            }
        });
        if (producer.isPresent()) {
            producer.get().flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(); // a failed send fails the replay: the user must know it did not all go
            }
        }
        return new Summary(replayed, skipped, outcomes, producer.isEmpty());
    }

    static ProducerRecord<byte[], byte[]> toReplay(DeadLetterRecord record, String target) {
        RecordHeaders headers = new RecordHeaders(record.replayableHeaders());
        headers.add(new RecordHeader(DeadLetter.REPLAYED_FROM_HEADER,
                record.location().toString().getBytes(StandardCharsets.UTF_8)));
        // no partition: the producer places it by key, as the original producer did (same partition count)
        return new ProducerRecord<>(target, null, null, record.key(), record.value(), headers);
    }
}
