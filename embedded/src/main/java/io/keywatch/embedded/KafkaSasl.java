package io.keywatch.embedded;

import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * SASL/SCRAM and ACLs for the embedded broker: clients authenticate with SCRAM-SHA-512 as one of {@code users}, and
 * KRaft's {@code StandardAuthorizer} allows them only what an ACL grants ({@code allow.everyone.if.no.acl.found} is
 * off). {@code admin} is a super user. The controller listener and a loopback listener for the broker's own
 * replication stay PLAINTEXT; their principal (ANONYMOUS) is a super user, as the broker itself must be: for tests
 * and a single machine, not for production (see the README's "Kafka ACLs for production").
 *
 * @param users SCRAM user names and their passwords, created at start
 */
public record KafkaSasl(Map<String, String> users) {

    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN = "admin";

    public KafkaSasl {
        users = Map.copyOf(Objects.requireNonNull(users, "users"));
        if (!users.containsKey(ADMIN)) {
            throw new IllegalArgumentException("the users must include the super user '" + ADMIN + "'");
        }
    }

    /** The client settings that log in as {@code user}: what a client gets through KEYWATCH_KAFKA_CONFIG_*. */
    public Map<String, String> clientSettings(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no such SCRAM user: " + user);
        }
        return clientSettings(user, password);
    }

    /** Client settings for SASL_PLAINTEXT with SCRAM-SHA-512; the password ends up in {@code sasl.jaas.config}. */
    public static Map<String, String> clientSettings(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    /** Names only: the passwords stay out of logs. */
    @Override
    public String toString() {
        return "KafkaSasl[users=" + new TreeSet<>(users.keySet()) + "]";
    }
}
