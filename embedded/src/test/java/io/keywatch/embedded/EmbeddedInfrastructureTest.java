package io.keywatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest {

    @TempDir
    Path dataDir;

    @Test
    void kafkaKeepsItsDataAcrossARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("restart-test", "k", "kept")).get();
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            assertThat(readAll(broker.bootstrapServers(), "restart-test")).containsExactly("kept");
        }
    }

    @Test
    void postgresAnswersQueries() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
             Connection connection = postgres.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select 40 + 2")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(42);
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/postgres");
        }
    }

    @Test
    void postgresAsksEveryConnectionForTheGeneratedPasswordAcrossARestart() throws Exception {
        Path folder = dataDir.resolve("postgres");
        String password;
        int port;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(folder, 0)) {
            password = postgres.password();
            port = postgres.port();
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);
            assertRefused(postgres.jdbcUrl(), postgres.user(), "");
            assertRefused(postgres.jdbcUrl(), postgres.user(), "postgres");
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), password);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                         + "WHERE rolname = current_user")) {
                rows.next();
                assertThat(rows.getBoolean(1)).as("stored as a SCRAM verifier").isTrue();
            }
        }
        Path file = dataDir.resolve("postgres.password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(folder, 0);
             Connection connection = postgres.dataSource().getConnection()) {
            assertThat(postgres.password()).isEqualTo(password);
            assertThat(connection.isValid(5)).isTrue();
            assertRefused(postgres.jdbcUrl(), postgres.user(), "");
        }
    }

    @Test
    void theAppRoleLogsInWithAGeneratedPasswordKeptOwnerOnlyAndIsNoSuperuser() throws Exception {
        Path folder = dataDir.resolve("postgres");
        String appPassword;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(folder, 0)) {
            appPassword = postgres.appPassword();
            assertThat(postgres.appUser()).isEqualTo("keywatch_app").isNotEqualTo(postgres.user());
            assertThat(appPassword).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(postgres.password());
            assertRefused(postgres.jdbcUrl(), postgres.appUser(), "");
            assertRefused(postgres.jdbcUrl(), postgres.appUser(), postgres.password());
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.appUser(),
                    appPassword);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls "
                         + "FROM pg_roles WHERE rolname = current_user")) {
                rows.next();
                assertThat(List.of(rows.getBoolean(1), rows.getBoolean(2), rows.getBoolean(3), rows.getBoolean(4)))
                        .containsOnly(false);
            }
        }
        Path file = dataDir.resolve("postgres.app-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(folder, 0)) {
            assertThat(postgres.appPassword()).isEqualTo(appPassword);
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.appUser(), appPassword).close();
        }
        // a data folder from before the app role: the next start makes one, with a new password kept the same way
        Files.delete(file);
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(folder, 0)) {
            assertThat(postgres.appPassword()).isNotEqualTo(appPassword);
            assertThat(Files.readString(file).strip()).isEqualTo(postgres.appPassword());
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.appUser(), postgres.appPassword()).close();
            assertRefused(postgres.jdbcUrl(), postgres.appUser(), appPassword);
        }
    }

    @Test
    void aTemporaryPostgresAsksForAPasswordToo() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
             Connection connection = postgres.dataSource().getConnection()) {
            assertThat(connection.isValid(5)).isTrue();
            assertRefused(postgres.jdbcUrl(), postgres.user(), "");
        }
    }

    private static void assertRefused(String url, String user, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, user, password).close())
                .isInstanceOf(SQLException.class);
    }

    private static List<String> readAll(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return java.util.stream.StreamSupport.stream(records.spliterator(), false)
                            .map(ConsumerRecord::value).toList();
                }
            }
            return List.of();
        }
    }
}
