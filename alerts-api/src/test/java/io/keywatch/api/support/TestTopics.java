package io.keywatch.api.support;

import io.keywatch.events.TopicLeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates a test's topics and returns once every partition's leader serves them ({@link TopicLeaders}), as
 * {@code TopicProvisioner} does for the services: a producer's first batches to a partition its leader does not serve
 * yet can be lost on a Kafka 4.4 broker (KAFKA-15591).
 */
public final class TestTopics {

    private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(30);

    private TestTopics() {
    }

    public static void create(Admin admin, List<NewTopic> topics) throws ExecutionException, InterruptedException {
        admin.createTopics(topics).all().get();
        new TopicLeaders(admin, LEADERS_TIMEOUT).await(topics.stream().map(NewTopic::name).toList());
    }
}
