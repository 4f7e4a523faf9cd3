package io.keywatch.client;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import io.keywatch.events.CallerFields;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service embeds to report its API-key usage: one {@link UsageEvent} per request, published asynchronously
 * to the usage-events topic, keyed by the key's public id so that all of a key's events land on one partition in
 * order. Thread-safe; create one per process and share it.
 *
 * <p>Nothing fails silently: every failed publish completes its future exceptionally, is counted in
 * {@link #errors()}, and is passed to the {@link PublishErrorListener} (by default, a rate-limited warning log).
 */
public final class UsageEventPublisher implements EventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsageEventPublisher.class);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final PublishErrorListener errorListener;
    private final JsonSerde<UsageEvent> serde = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    /** Publishes with the given settings; failures are logged (rate-limited) besides failing their futures. */
    public UsageEventPublisher(PublisherSettings settings) {
        this(settings, null);
    }

    /** Publishes with the given settings and also tells {@code errorListener} about every failure. */
    public UsageEventPublisher(PublisherSettings settings, PublishErrorListener errorListener) {
        this(new KafkaProducer<>(settings.producerProperties()), settings.topics().usageEvents(), errorListener);
        log.info("publishing usage events to topic {} at {} as client {}",
                settings.topics().usageEvents(), settings.bootstrapServers(), settings.clientId());
    }

    /**
     * Publishes through a producer the caller made (a {@code MockProducer} in tests, a shared producer elsewhere).
     * The publisher owns it from now on and closes it in {@link #close()}.
     */
    public UsageEventPublisher(Producer<String, byte[]> producer, String topic, PublishErrorListener errorListener) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.errorListener = errorListener;
    }

    /**
     * Sends one event. The future completes with the record's partition and offset once the brokers have it, or
     * exceptionally with the reason it could not be sent (also counted and reported). Callbacks on the future run
     * on the producer's I/O thread unless the caller uses an {@code ...Async} variant.
     *
     * @throws NullPointerException if {@code event} is null
     */
    public CompletableFuture<RecordMetadata> publish(UsageEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            // the Kafka record carries the event's own time, so event-time consumers see the same clock either way;
            // the fields the service copied from its caller are fitted to the contract, so that a hostile
            // User-Agent or X-Forwarded-For cannot get the event dead-lettered and the request unseen
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
                    event.timestamp().toEpochMilli(), event.keyId(), serde.toBytes(CallerFields.fit(event)));
            producer.send(record, (metadata, exception) -> {
                if (exception == null) {
                    published.incrementAndGet();
                    result.complete(metadata);
                } else {
                    fail(event, exception, result);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws for a closed producer, a full buffer after max.block.ms, or unserializable input
            fail(event, e, result);
        }
        return result;
    }

    /** {@link EventSink} view: fire and forget; a failure is still counted and reported, never dropped silently. */
    @Override
    public void accept(UsageEvent event) {
        publish(event);
    }

    /** Blocks until every event sent so far has been acknowledged or has failed. */
    @Override
    public void flush() {
        producer.flush();
    }

    /** Events the brokers acknowledged. */
    public long published() {
        return published.get();
    }

    /** Events that could not be published. */
    public long errors() {
        return errors.get();
    }

    public String topic() {
        return topic;
    }

    /** Sends what is buffered (waiting up to {@code timeout}) and releases the producer. */
    public void close(Duration timeout) {
        producer.close(timeout);
        log.info("usage-event publisher closed: {} events published, {} failed", published.get(), errors.get());
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    private void fail(UsageEvent event, Exception error, CompletableFuture<RecordMetadata> result) {
        long count = errors.incrementAndGet();
        try {
            if (errorListener != null) {
                errorListener.onError(event, error);
            } else if (isPowerOfTwo(count)) {
                // a broker outage fails every event: log the 1st, 2nd, 4th, 8th... failure rather than each one
                // quoted escaped, cut, and a secret published as key id by mistake shown as redacted:<format> only
                log.warn("cannot publish usage event {} for key {} to {} ({} failures so far): {}",
                        SafeText.quote(event.eventId()), SafeText.quote(event.keyId()), topic, count,
                        SafeText.escape(error.toString(), 300));
            }
        } catch (RuntimeException listenerFailure) {
            log.warn("publish error listener failed", listenerFailure);
        } finally {
            result.completeExceptionally(error);
        }
    }

    private static boolean isPowerOfTwo(long n) {
        return (n & (n - 1)) == 0;
    }
}
