package io.keywatch.standalone.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.DeadLetter;
import io.keywatch.standalone.KeywatchCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keywatch dlq list} and {@code replay} against a real (embedded) broker, with hostile dead letters. */
class DlqCommandTest {

    private static final String ESC = "\u001b";
    private static final byte[] INVALID_UTF8 = {'{', '"', 'k', '"', ':', (byte) 0xC0, (byte) 0xAF, (byte) 0xFF, '}'};
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A dead letter as the topology writes it. */
    private record Letter(byte[] key, byte[] value, String code, String reason, String origin, List<Header> extra) {
    }

    private record Run(int exit, String out, String err) {
    }

    private record Topics(String origin, String dlq) {
    }

    private static Topics topics() throws Exception {
        int n = TOPICS.incrementAndGet();
        Topics topics = new Topics("usage-" + n, "usage-" + n + ".dlq");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.origin(), 3, (short) 1), new NewTopic(topics.dlq(), 2, (short) 1)))
                    .all().get();
        }
        return topics;
    }

    private static void write(String dlq, List<Letter> letters) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
            for (Letter letter : letters) {
                List<Header> headers = new ArrayList<>(letter.extra());
                if (letter.reason() != null) {
                    headers.add(new RecordHeader(DeadLetter.REASON_HEADER, utf8(letter.reason())));
                }
                if (letter.code() != null) {
                    headers.add(new RecordHeader(DeadLetter.REASON_CODE_HEADER, utf8(letter.code())));
                }
                if (letter.origin() != null) {
                    headers.add(new RecordHeader(DeadLetter.ORIGIN_HEADER, utf8(letter.origin())));
                }
                producer.send(new ProducerRecord<>(dlq, null, null, letter.key(), letter.value(), headers)).get();
            }
        }
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4000000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Run dlq(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("dlq"));
        all.addAll(Arrays.asList(args));
        all.add(1 + (args.length > 0 ? 1 : 0), "--bootstrap=" + broker.bootstrapServers());
        int exit = new picocli.CommandLine(new KeywatchCli())
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Letter> hostileLetters(Topics topics) {
        return List.of(
                new Letter(utf8("key\u0000nul"), utf8("{\"keyId\":\"a\\u0000b\"}"), "invalid-json", "bad " + ESC + "[31mred",
                        topics.origin() + "-0@5", List.of()),
                new Letter(utf8(ESC + "]0;pwned" + "\u0007"), utf8(ESC + "[2J" + "x".repeat(200_000)), "field-invalid",
                        "keyId too long", topics.origin() + "-1@7", List.of(new RecordHeader("trace-id", utf8("t-1")))),
                new Letter(utf8("k3"), INVALID_UTF8, "invalid-json", "not UTF-8", topics.origin() + "-2@9",
                        List.of(new RecordHeader("trace-id", new byte[] {1, 2, (byte) 0xFF}))),
                new Letter(null, utf8("[1,2]"), null, "written by someone else", null, List.of()));
    }

    @Test
    void listCountsByReasonCodeAndPrintsHostileStringsOnlyEscapedAndCut() throws Exception {
        Topics topics = topics();
        write(topics.dlq(), hostileLetters(topics));

        Run run = dlq("list", "--topic", topics.dlq());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("4 record(s), 4 matching")
                .containsPattern("invalid-json\\s+2")
                .containsPattern("field-invalid\\s+1")
                .containsPattern("unknown\\s+1")
                .contains("key\\u0000nul", "\\u001b[31mred", "\\u001b]0;pwned\\u0007", "[not valid UTF-8]",
                        topics.origin() + "-1@7", "(200004 bytes)");
        // nothing a terminal would interpret, and no more than a preview of the 200,000-char value
        assertThat(run.out()).doesNotContain(ESC, "\u0000", "\u0007").hasSizeLessThan(5_000);
    }

    @Test
    void listSelectsByReasonAndSinceAndWritesJson() throws Exception {
        Topics topics = topics();
        write(topics.dlq(), hostileLetters(topics));

        Run run = dlq("list", "--topic", topics.dlq(), "--reason", "invalid-json", "--json", "--limit", "1");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("total").asLong()).isEqualTo(4);
        assertThat(json.path("matching").asLong()).isEqualTo(2);
        assertThat(json.path("byReasonCode").path("invalid-json").asLong()).isEqualTo(2);
        assertThat(json.path("records")).hasSize(1);
        // records come partition by partition; either invalid-json letter may be first
        assertThat(json.path("records").get(0).path("keyPreview").asText()).isIn("key\\u0000nul", "k3");

        Run future = dlq("list", "--topic", topics.dlq(), "--since", "2999-01-01T00:00:00Z");
        assertThat(future.out()).contains("4 record(s), 0 matching");
        Run bad = dlq("list", "--topic", topics.dlq(), "--since", "yesterday" + ESC);
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--since").doesNotContain(ESC);
    }

    @Test
    void replayByReasonRepublishesTheOriginalBytesToTheOriginWithATraceHeader() throws Exception {
        Topics topics = topics();
        List<Letter> letters = hostileLetters(topics);
        write(topics.dlq(), letters);

        Run run = dlq("replay", "--topic", topics.dlq(), "--reason", "invalid-json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("replayed 2 record(s)").containsPattern("invalid-json\\s+2");
        List<ConsumerRecord<byte[], byte[]>> replayed = readAll(topics.origin());
        assertThat(replayed).hasSize(2);
        for (Letter letter : List.of(letters.get(0), letters.get(2))) {
            ConsumerRecord<byte[], byte[]> record = replayed.stream()
                    .filter(r -> Arrays.equals(r.key(), letter.key())).findFirst().orElseThrow();
            assertThat(record.value()).isEqualTo(letter.value());
            assertThat(record.headers().lastHeader(DeadLetter.REASON_HEADER)).isNull();
            assertThat(record.headers().lastHeader(DeadLetter.REASON_CODE_HEADER)).isNull();
            assertThat(record.headers().lastHeader(DeadLetter.ORIGIN_HEADER)).isNull();
            assertThat(new String(record.headers().lastHeader(DeadLetter.REPLAYED_FROM_HEADER).value(),
                    StandardCharsets.UTF_8)).matches(java.util.regex.Pattern.quote(topics.dlq()) + "-[01]@\\d+");
            for (Header extra : letter.extra()) {
                assertThat(record.headers().lastHeader(extra.key()).value()).isEqualTo(extra.value());
            }
        }
    }

    @Test
    void replayByOriginSendsOnlyThatRecordAndKeepsA200000CharValueByteForByte() throws Exception {
        Topics topics = topics();
        List<Letter> letters = hostileLetters(topics);
        write(topics.dlq(), letters);

        Run run = dlq("replay", "--topic", topics.dlq(), "--origin", topics.origin() + "-1@7");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("replayed 1 record(s)").doesNotContain(ESC);
        assertThat(readAll(topics.origin())).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(letters.get(1).key());
            assertThat(record.value()).isEqualTo(letters.get(1).value());
            assertThat(record.headers().lastHeader("trace-id").value()).isEqualTo(utf8("t-1"));
        });
    }

    @Test
    void dryRunShowsWhatWouldBeReplayedAndSendsNothing() throws Exception {
        Topics topics = topics();
        write(topics.dlq(), hostileLetters(topics));

        Run run = dlq("replay", "--topic", topics.dlq(), "--all", "--dry-run");

        // the record without an origin cannot go anywhere without --to: said, and the exit code says it
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("would replay 3 record(s)", "skipped 1", "SKIPPED", "--to",
                "-> " + topics.origin());
        assertThat(readAll(topics.origin())).isEmpty();

        Run to = dlq("replay", "--topic", topics.dlq(), "--reason", "unknown", "--to", topics.origin());
        assertThat(to.exit()).as(to.out() + to.err()).isZero();
        assertThat(readAll(topics.origin())).singleElement()
                .satisfies(record -> assertThat(record.value()).isEqualTo(utf8("[1,2]")));
    }

    @Test
    void aMistypedTopicIsAnErrorAndIsNotCreated() throws Exception {
        Run run = dlq("list", "--topic", "no-such.dlq");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no-such.dlq does not exist");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("no-such.dlq");
        }
    }

    @Test
    void replayNeedsExactlyOneSelection() throws Exception {
        Topics topics = topics();
        assertThat(dlq("replay", "--topic", topics.dlq()).exit()).isEqualTo(2);
        assertThat(dlq("replay", "--topic", topics.dlq(), "--all", "--reason", "late").exit()).isEqualTo(2);
        Run bad = dlq("replay", "--topic", topics.dlq(), "--origin", "nonsense" + ESC);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("topic-partition@offset").doesNotContain(ESC);
    }

    @Test
    void replayRefusesKafkaStreamsInternalTopicsAndPointsToTheFrontDoor() throws Exception {
        Topics topics = topics();
        String repartition = "keywatch-streams-usage-events-by-key-id-repartition";
        write(topics.dlq(), List.of(new Letter(utf8("k"), utf8("{}"), "late", "late", repartition + "-1@42", List.of())));

        Run run = dlq("replay", "--topic", topics.dlq(), "--all");

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("skipped " + topics.dlq(), "SKIPPED", "internal topic",
                        "--to " + io.keywatch.events.Topics.DEFAULTS.usageEvents() + " replays it through the front door",
                        "replayed 0 record(s)", "skipped 1")
                .doesNotContain("replayed " + topics.dlq(), "-> -");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(repartition);
        }

        Run changelog = dlq("replay", "--topic", topics.dlq(), "--all", "--to", "app-store-changelog");
        assertThat(changelog.exit()).isEqualTo(1);
        assertThat(changelog.out()).contains("--to names a Kafka Streams internal topic");

        Run front = dlq("replay", "--topic", topics.dlq(), "--all", "--to", topics.origin());
        assertThat(front.exit()).as(front.out() + front.err()).isZero();
        assertThat(readAll(topics.origin())).hasSize(1);
    }

    @Test
    void replayNeverFollowsAForgedOriginToATopicTheDeadLetterTopicDoesNotCollectFrom() throws Exception {
        // the origin header is part of the record: one naming the key-state topic must not make a replay write there
        Topics topics = topics();
        String keyState = "forged-target-" + topics.origin();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(keyState, 1, (short) 1))).all().get();
        }
        write(topics.dlq(), List.of(new Letter(utf8("k"), utf8("{\"status\":\"ACTIVE\"}"), "invalid-json", "forged",
                keyState + "-0@1", List.of())));

        Run run = dlq("replay", "--topic", topics.dlq(), "--all");

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("does not collect from (" + topics.origin() + ")", "replayed 0 record(s)");
        assertThat(readAll(keyState)).isEmpty();
    }

    @Test
    void alertsReadsTheAlertsDeadLetterTopicNamedByTopics() throws Exception {
        String alertsDlq = io.keywatch.events.Topics.fromEnv(System.getenv()).alertsDlq();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(alertsDlq, 1, (short) 1))).all().get();
        }
        write(alertsDlq, List.of(new Letter(utf8("key_1"), utf8("{\"rule\":1}"), "invalid-alert", "bad alert",
                "keywatch.alerts-0@3", List.of())));

        Run run = dlq("list", "--alerts");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains(alertsDlq + ": 1 record(s)").containsPattern("invalid-alert\\s+1");
        assertThat(dlq("list", "--alerts", "--topic", alertsDlq).exit()).isEqualTo(2);
        assertThat(dlq("list", "--help").out()).contains("--alerts", io.keywatch.events.Topics.DEFAULT_ALERTS_DLQ);
    }
}
