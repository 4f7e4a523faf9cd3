package io.keywatch.standalone.dlq;

import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.Topics;
import java.io.PrintWriter;
import io.keywatch.events.SafeText;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code keywatch dlq}: lists the dead-letter topics by reason and replays chosen records to where they came from. */
@Command(name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Lists dead-lettered records by reason code and replays chosen ones to the topic they came from.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
public final class DlqCommand implements Callable<Integer> {

    /** The command's own Kafka client settings, over {@value KafkaClientConfig#COMMON_PREFIX}*. */
    static final String KAFKA_CONFIG_PREFIX = "KEYWATCH_DLQ_KAFKA_CONFIG_";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Where to read: the broker and the dead-letter topic, defaulting from the environment like the services. */
    static final class Target {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: KEYWATCH_KAFKA_BOOTSTRAP or localhost:9092).")
        String bootstrap;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "Dead-letter topic to read (default: the "
                + "usage events' one, KEYWATCH_TOPIC_USAGE_EVENTS_DLQ or " + Topics.DEFAULT_USAGE_EVENTS_DLQ + ").")
        String topic;

        @Option(names = "--alerts", description = "Read the alerts' dead-letter topic instead: short for --topic "
                + "KEYWATCH_TOPIC_ALERTS_DLQ (default <KEYWATCH_TOPIC_ALERTS>.dlq, " + Topics.DEFAULT_ALERTS_DLQ + ").")
        boolean alerts;

        Map<String, String> env = System.getenv();

        String bootstrap() {
            if (bootstrap != null) {
                return bootstrap;
            }
            String fromEnv = env.get("KEYWATCH_KAFKA_BOOTSTRAP");
            return fromEnv == null || fromEnv.isBlank() ? "localhost:9092" : fromEnv.strip();
        }

        String topic() {
            if (alerts && topic != null) {
                throw new ParameterException(mixee.commandLine(), "--alerts and --topic both name the topic: give one");
            }
            Topics topics = Topics.fromEnv(env);
            return topic != null ? topic : alerts ? topics.alertsDlq() : topics.usageEventsDlq();
        }

        /** Where a record belongs that came from Kafka Streams' internal topics: the usage events' front door. */
        String frontDoor() {
            return Topics.fromEnv(env).usageEvents();
        }

        /**
         * The topics the chosen dead-letter topic collects from, the only ones an origin header may send a replay to:
         * the header is part of the record, and a forged one must not make a replay write to {@code keywatch.key-state}.
         */
        Set<String> sources() {
            Topics topics = Topics.fromEnv(env);
            String dlq = topic();
            if (dlq.equals(topics.usageEventsDlq())) {
                return Set.of(topics.usageEvents());
            }
            if (dlq.equals(topics.alertsDlq())) {
                return Set.of(topics.alerts());
            }
            // another dead-letter topic: keywatch's naming, <topic>.dlq; otherwise only --to can name a target
            return dlq.endsWith(".dlq") ? Set.of(dlq.substring(0, dlq.length() - ".dlq".length())) : Set.of();
        }

        /** {@code KEYWATCH_KAFKA_CONFIG_*} with {@code KEYWATCH_DLQ_KAFKA_CONFIG_*} over it: the principal that reads. */
        KafkaClientConfig clientConfig() {
            return KafkaClientConfig.fromEnv(env, KAFKA_CONFIG_PREFIX);
        }

        DeadLetterReader reader() {
            return new DeadLetterReader(bootstrap(), clientConfig(), Duration.ofSeconds(60));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Reads the dead-letter topic from the beginning to its current end (read_committed) and "
                    + "prints the records counted by reason code, then the records themselves (key and value as "
                    + "escaped previews)."})
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        @Option(names = "--reason", paramLabel = "CODE", description = "Only records with this reason code "
                + "(header keywatch.dlq.reason-code; 'unknown' for records without one).")
        String reason;

        @Option(names = "--since", paramLabel = "ISO", description = "Only records whose dead-letter record "
                + "timestamp (the 'time' column) is at or after this instant (ISO-8601, e.g. 2026-11-27T19:00:00Z). "
                + "That timestamp is set by whoever wrote the dead letter: the usage events' dead letters keep the "
                + "original record's timestamp (late events: their event time), the alerts' ones carry the time the "
                + "API quarantined them.")
        String since;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "Records to print (counts always cover all matching records; default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON document instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (limit < 0) {
                throw new ParameterException(spec.commandLine(), "--limit must be 0 or more, got " + limit);
            }
            DeadLetterSelection selection = new DeadLetterSelection(Optional.ofNullable(reason), Set.of(),
                    Optional.ofNullable(since).map(s -> instant(spec, s)));
            DeadLetterListing listing = DeadLetterListing.read(target.reader(), target.topic(), selection, limit);
            DlqPrinter printer = new DlqPrinter(spec.commandLine().getOut());
            if (json) {
                printer.listingJson(listing);
            } else {
                printer.listing(listing);
            }
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Republishes the chosen dead letters (original key, value and headers, without the "
                    + "keywatch.dlq.* headers) to the topic named in their keywatch.dlq.origin header, with an "
                    + "idempotent producer and a keywatch.dlq.replayed-from header naming the dead letter.",
                    "A record that is still invalid is dead-lettered again. Each run republishes what it selects: "
                            + "replaying the same selection twice sends the records twice."})
    static final class ReplayCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--reason", paramLabel = "CODE", description = "Every record with this reason code.")
            String reason;

            @Option(names = "--origin", paramLabel = "TOPIC-P@OFFSET", description = "The record(s) that came from "
                    + "there (repeatable), e.g. keywatch.usage-events-0@1234.")
            List<String> origins;

            @Option(names = "--all", description = "Every record of the topic.")
            boolean all;
        }

        @Option(names = "--to", paramLabel = "TOPIC", description = "Publish to this topic instead of each record's origin.")
        String to;

        @Option(names = "--dry-run", description = "Show what would be replayed; send nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Set<Origin> origins = Set.of();
            if (which.origins != null) {
                origins = which.origins.stream().map(text -> Origin.parse(text).orElseThrow(() ->
                        new ParameterException(spec.commandLine(), "--origin must look like topic-partition@offset, got "
                                + SafeText.escape(text, 100)))).collect(Collectors.toSet());
            }
            DeadLetterSelection selection = new DeadLetterSelection(Optional.ofNullable(which.reason), origins,
                    Optional.empty());
            PrintWriter out = spec.commandLine().getOut();
            DeadLetterReplayer.Summary summary;
            if (dryRun) {
                summary = new DeadLetterReplayer(Optional.empty(), Optional.ofNullable(to), target.frontDoor(),
                        target.sources())
                        .replay(target.reader(), target.topic(), selection, 1_000);
            } else {
                try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(target.bootstrap(),
                        target.clientConfig()))) {
                    summary = new DeadLetterReplayer(Optional.of(producer), Optional.ofNullable(to),
                            target.frontDoor(), target.sources())
                            .replay(target.reader(), target.topic(), selection, 1_000);
                }
            }
            new DlqPrinter(out).replay(summary, target.topic());
            if (summary.replayedTotal() == 0 && summary.skippedTotal() == 0) {
                out.println("nothing matched");
            }
            return summary.skippedTotal() > 0 ? 1 : 0;
        }

        static Properties producerProperties(String bootstrap, KafkaClientConfig clientConfig) {
            Properties props = new Properties();
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "keywatch-dlq-replay");
            // values up to the broker's limit came in; they must be able to go back out
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
            clientConfig.applyTo(props);
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            return props;
        }
    }

    static Instant instant(CommandSpec spec, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--since must be an ISO-8601 instant like "
                    + "2026-11-27T19:00:00Z, got " + SafeText.escape(text, 100));
        }
    }
}
