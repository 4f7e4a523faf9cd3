package io.keywatch.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4 cluster (KRaft, combined broker and controller) in this JVM. Its data stays in the given
 * folder across restarts: the cluster id is kept beside the logs, because re-formatting a used log directory with
 * a new id fails.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String internalBootstrapServers;
    private final Path dataDir;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, String internalBootstrapServers,
                                Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.internalBootstrapServers = internalBootstrapServers;
        this.dataDir = dataDir;
    }

    /** Starts a broker on {@code port} (0 = any free port) with a controller on a free port. */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, 0);
    }

    /** Starts a broker and waits until it answers; ports of 0 mean any free port. */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, null);
    }

    /**
     * Starts a broker whose clients must log in with SASL/SCRAM and are allowed only what ACLs grant (see
     * {@link KafkaSasl}), on free ports; its SCRAM users exist when this returns. {@link #bootstrapServers()} is the
     * SASL listener; {@link #internalBootstrapServers()} a PLAINTEXT one for the broker itself, a super user.
     */
    public static EmbeddedKafkaBroker startWithSasl(Path dataDir, KafkaSasl sasl) {
        return start(dataDir, 0, 0, sasl);
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort, KafkaSasl sasl) {
        int brokerPort = FreePort.orFree(port);
        int quorumPort = FreePort.orFree(controllerPort);
        int internalPort = sasl == null ? brokerPort : FreePort.orFree(0);
        Path logDir = dataDir.resolve("kafka-logs");
        try {
            Files.createDirectories(logDir);
            String clusterId = clusterId(dataDir);
            Properties props = brokerProperties(logDir, brokerPort, quorumPort);
            if (sasl != null) {
                secure(props, brokerPort, internalPort, quorumPort);
            }
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir, clusterId);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "localhost:" + brokerPort;
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, "localhost:" + internalPort,
                    dataDir);
            broker.awaitReady(Duration.ofSeconds(60));
            if (sasl != null) {
                broker.createScramUsers(sasl, Duration.ofSeconds(30));
            }
            log.info("Embedded Kafka broker ready at {}{} (data in {})", bootstrap,
                    sasl == null ? "" : " (SASL/SCRAM, ACLs, users " + sasl.users().keySet() + ")", dataDir);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data folder " + dataDir, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The first {@code expected} records of {@code topic} from its beginning (all partitions, read uncommitted), or
     * fewer when {@code timeout} runs out first: what a test published, read back as any consumer would.
     */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Where the broker's own PLAINTEXT listener is: the same as {@link #bootstrapServers()} without SASL; with it,
     * a listener whose clients are super users, for setting up users and ACLs.
     */
    public String internalBootstrapServers() {
        return internalBootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // One node: every replication factor and minimum ISR is 1.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("default.replication.factor", "1");
        // Fewer internal partitions start faster; one machine gains nothing from fifty.
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "3");
        return props;
    }

    /**
     * SASL_PLAINTEXT with SCRAM for clients, a PLAINTEXT loopback listener for replication, and the KRaft authorizer
     * with nothing allowed that no ACL grants.
     */
    private static void secure(Properties props, int saslPort, int internalPort, int controllerPort) {
        props.put("listeners", "EXTERNAL://localhost:" + saslPort + ",INTERNAL://localhost:" + internalPort
                + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "EXTERNAL://localhost:" + saslPort + ",INTERNAL://localhost:" + internalPort);
        props.put("listener.security.protocol.map",
                "EXTERNAL:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("sasl.enabled.mechanisms", KafkaSasl.MECHANISM);
        props.put("listener.name.external." + KafkaSasl.MECHANISM.toLowerCase(Locale.ROOT)
                + ".sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the broker and controller talk PLAINTEXT on loopback as ANONYMOUS: they must be allowed everything
        props.put("super.users", "User:ANONYMOUS;User:" + KafkaSasl.ADMIN);
        props.put("allow.everyone.if.no.acl.found", "false");
    }

    /** Creates the SCRAM users through the internal listener and waits until the broker knows them all. */
    private void createScramUsers(KafkaSasl sasl, Duration timeout) {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        sasl.users().forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers);
        try (Admin admin = Admin.create(props)) {
            admin.alterUserScramCredentials(alterations).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!admin.describeUserScramCredentials().all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .keySet().containsAll(sasl.users().keySet())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM users not visible within " + timeout);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while creating SCRAM users", e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot create SCRAM users on " + internalBootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }

    private static void format(Path logDir, String clusterId) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** The cluster id kept with the data, created on first start. */
    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    private void awaitReady(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("Kafka at " + bootstrapServers + " not ready within " + timeout, e);
                    }
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for Kafka", e);
                    }
                }
            }
        }
    }
}
