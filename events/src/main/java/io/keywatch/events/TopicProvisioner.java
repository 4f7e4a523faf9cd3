package io.keywatch.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.AuthorizationException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates keywatch's topics where they are missing, so that every service can start against an empty cluster.
 * Existing topics are left as they are: partition counts are an operator's decision once data exists.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final String bootstrapServers;
    private final KafkaClientConfig clientConfig;
    private final Duration timeout;

    public TopicProvisioner(String bootstrapServers, Duration timeout) {
        this(bootstrapServers, KafkaClientConfig.NONE, timeout);
    }

    /** With the operator's Kafka client settings (security) for its Admin client. */
    public TopicProvisioner(String bootstrapServers, KafkaClientConfig clientConfig, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.clientConfig = clientConfig;
        this.timeout = timeout;
    }

    /**
     * Ensures all six topics exist; those it creates, it returns once every partition's leader serves
     * ({@link TopicLeaders}: a producer's first batches to a partition its leader does not serve yet can be lost). The key-state and key-scopes
     * topics are compacted, because a consumer needs only each key's latest state and scope usage; the others keep the
     * broker's default retention.
     */
    public void ensure(Topics topics, int partitions, short replicationFactor) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(topics.usageEvents(), partitions, replicationFactor));
        wanted.add(new NewTopic(topics.usageEventsDlq(), partitions, replicationFactor));
        wanted.add(new NewTopic(topics.alerts(), partitions, replicationFactor));
        wanted.add(new NewTopic(topics.alertsDlq(), partitions, replicationFactor));
        wanted.add(new NewTopic(topics.keyState(), partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        wanted.add(new NewTopic(topics.keyScopes(), partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // one timeout for listing, creating and awaiting the leaders together, not one per step
        Deadline deadline = Deadline.after(timeout);
        Admin admin = Admin.create(adminProperties());
        try {
            Set<String> existing = admin.listTopics().names().get(deadline.remainingMs(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                create(admin, missing, deadline);
                // the topics this call created (or raced another service to create) are served before anyone sends
                new TopicLeaders(admin, timeout).await(missing.stream().map(NewTopic::name).toList(), deadline);
            }
            // topics that already existed are not waited for: one offline partition of an old topic (a broker down
            // with replication factor 1) must not keep the API, the tool for revoking keys in an incident, from
            // starting
        } catch (ExecutionException e) {
            throw refused(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } finally {
            closeWithin(admin, deadline);
        }
    }

    /**
     * Within the same deadline: a plain close() would wait up to the client's own API timeout for calls still in
     * flight (a createTopics sent late), on top of the timeout just spent. A failure to close must not hide the
     * outcome (or the failure) of the calls themselves: it is logged.
     */
    private static void closeWithin(Admin admin, Deadline deadline) {
        try {
            admin.close(Duration.ofMillis(deadline.remainingMs()));
        } catch (RuntimeException e) {
            LOG.warn("Could not close the topic provisioner's admin client: {}", e.toString());
        }
    }

    private static void create(Admin admin, List<NewTopic> missing, Deadline deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            admin.createTopics(missing).all().get(deadline.remainingMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
            // another service created it meanwhile: fine, its leaders are awaited all the same
        }
    }

    private IllegalStateException refused(Throwable cause) {
        if (cause instanceof AuthorizationException) {
            // under ACLs the operator creates the topics; a principal sees only the topics it may describe
            return new IllegalStateException("not allowed to create or describe keywatch's topics on "
                    + bootstrapServers + " (" + cause.getMessage() + "): create them beforehand and "
                    + "allow this principal DESCRIBE on them (see the README's \"Kafka ACLs for production\")", cause);
        }
        return new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + cause.getMessage(),
                cause);
    }

    /**
     * The topic's partition count as the broker has it, which is what decides where a producer's records land,
     * whatever the configuration said when the topic was made.
     *
     * @throws IllegalStateException when the topic does not exist or Kafka does not answer in time
     */
    public int partitionCount(String topic) {
        try (Admin admin = Admin.create(adminProperties())) {
            return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + topic + " on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        }
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        clientConfig.applyTo(props);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }
}
