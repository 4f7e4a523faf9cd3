package io.keywatch.tools.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer group (a Streams application id) is behind the end of a topic, through the Admin API. */
final class ConsumerLag {

    private final Admin admin;

    ConsumerLag(Admin admin) {
        this.admin = admin;
    }

    /** Sum of the end offsets of the topic's partitions. */
    long endOffsets(String topic) {
        return endOffsetsByPartition(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records not yet committed by the group; a partition it never committed counts from 0. */
    long lag(String group, String topic) {
        Map<TopicPartition, Long> ends = endOffsetsByPartition(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = get(() ->
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
        }
        return lag;
    }

    /**
     * Blocks until the topic holds at least {@code expectedEnd} records in total and the group has committed all of
     * them; returns System.nanoTime() at that moment. Reports the lag now and then.
     */
    long awaitCaughtUp(String group, String topic, long expectedEnd, long timeoutNanos, LongConsumer progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long end = endOffsets(topic);
            long lag = lag(group, topic);
            if (end >= expectedEnd && lag == 0) {
                return System.nanoTime();
            }
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
                progress.accept(lag + Math.max(0, expectedEnd - end));
                lastReport = System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("consumer group " + group + " did not catch up with " + topic + " in time");
    }

    private Map<TopicPartition, Long> endOffsetsByPartition(String topic) {
        TopicDescription description = get(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        get(() -> admin.listOffsets(request).all().get()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private interface Call<T> {
        T call() throws InterruptedException, ExecutionException;
    }

    private static <T> T get(Call<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e.getCause(), e.getCause());
        }
    }
}
