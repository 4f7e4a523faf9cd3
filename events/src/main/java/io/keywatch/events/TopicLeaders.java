package io.keywatch.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Waits until every partition of some topics is served by its leader, so that the first producer to write to a topic
 * created a moment ago is not answered NOT_LEADER_OR_FOLLOWER.
 *
 * <p>Why it matters: with Kafka 4.4 brokers, an idempotent producer whose first batch to a new partition gets
 * NOT_LEADER_OR_FOLLOWER while a later batch of its own is accepted (the broker takes any first sequence from a producer
 * it has no state for) retries the first batch for ever with OUT_OF_ORDER_SEQUENCE_NUMBER, and loses it at its delivery
 * timeout (KAFKA-15591, fixed on the broker in Kafka 4.5). CreateTopics answers once the controller has committed the
 * topic, before the leader's broker has applied it; its metadata may even name the leader before the leader's replica
 * manager holds the partition. So a leader in the metadata is not enough: each partition's leader must answer a
 * ListOffsets, which it can only do once it serves the partition (the Admin client retries NOT_LEADER_OR_FOLLOWER
 * until its deadline).
 */
public final class TopicLeaders {

    private static final Duration DESCRIBE_RETRY = Duration.ofMillis(100);

    private final Admin admin;
    private final Duration timeout;

    public TopicLeaders(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Returns once every partition of {@code topics} has a leader that answers for it.
     *
     * @throws IllegalStateException naming the partitions still without a serving leader after the timeout, or when
     *                               Kafka refuses to describe a topic
     */
    public void await(Collection<String> topics) {
        await(topics, Deadline.after(timeout));
    }

    /**
     * As {@link #await(Collection)}, by a deadline the caller's earlier steps (creating the topics) counted towards
     * too: one timeout for the whole wait.
     */
    public void await(Collection<String> topics, Deadline deadline) {
        Duration timeout = deadline.total();
        List<TopicPartition> partitions = partitionsWithLeaders(admin, topics, deadline);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            admin.listOffsets(latest).all().get(deadline.remainingMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                throw new IllegalStateException("not allowed to list the offsets of " + topics + " (it takes Describe "
                        + "on them): " + e.getCause().getMessage(), e.getCause());
            }
            throw new IllegalStateException("the leaders of " + topics + " did not serve their partitions within "
                    + timeout + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the leaders of " + topics + " did not serve their partitions within "
                    + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the leaders of " + topics, e);
        }
    }

    /** Describes the topics until each partition names a leader; returns them all. */
    private static List<TopicPartition> partitionsWithLeaders(Admin admin, Collection<String> topics,
                                                              Deadline deadline) {
        Duration timeout = deadline.total();
        while (true) {
            List<TopicPartition> all = new ArrayList<>();
            List<TopicPartition> leaderless = new ArrayList<>();
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                        .get(deadline.remainingMs(), TimeUnit.MILLISECONDS);
                for (TopicDescription topic : described.values()) {
                    for (TopicPartitionInfo partition : topic.partitions()) {
                        TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
                        all.add(tp);
                        if (partition.leader() == null || partition.leader().isEmpty()) {
                            leaderless.add(tp);
                        }
                    }
                }
            } catch (ExecutionException e) {
                // a topic just created can be unknown to the broker that answers for a moment: retried below
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) {
                    throw new IllegalStateException("cannot describe " + topics + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
                leaderless.add(null);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not describe " + topics + " within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the leaders of " + topics, e);
            }
            if (leaderless.isEmpty()) {
                return all;
            }
            if (deadline.within(DESCRIBE_RETRY)) {
                throw new IllegalStateException("topics unknown or partitions without a leader after " + timeout + ": "
                        + (leaderless.contains(null) ? topics : leaderless));
            }
            try {
                Thread.sleep(DESCRIBE_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the leaders of " + topics, e);
            }
        }
    }
}
