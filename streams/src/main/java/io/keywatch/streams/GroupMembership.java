package io.keywatch.streams;

import io.keywatch.events.Env;
import io.keywatch.events.SafeText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How an instance belongs to the Kafka Streams group, so that a restart costs no detection blackout.
 *
 * <p>Static membership: each instance has a stable {@code group.instance.id} (Kafka Streams appends {@code -<thread>}
 * for each stream thread). An instance that comes back within the session timeout, after a SIGKILL as after a clean
 * stop, takes its partitions back at once; without it, the group waits out the dead member's session first.
 *
 * @param instanceId        the instance's id in the group; null until {@link #resolved(Path, Supplier)} chose the
 *                          default (then no static membership, e.g. in tests that build properties only)
 * @param sessionTimeout    how long the group waits for an instance that stopped heartbeating (a kill, a crash, a
 *                          pause) before its partitions move to the others: it must cover a restart
 * @param leaveGroupOnClose on a clean stop, leave the group at once, so that the other instances take over without
 *                          waiting out the session; the instance then rejoins with one rebalance when it is back
 */
public record GroupMembership(String instanceId, Duration sessionTimeout, boolean leaveGroupOnClose) {

    public static final String INSTANCE_ID_VAR = "KEYWATCH_STREAMS_INSTANCE_ID";
    public static final String SESSION_TIMEOUT_VAR = "KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS";
    public static final String LEAVE_GROUP_VAR = "KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE";

    /** The file in the state directory that keeps the default instance id across restarts. */
    public static final String INSTANCE_ID_FILE = "keywatch-instance-id";

    /** Kafka's consumer default; covers a restart (a few seconds to RUNNING) with a wide margin. */
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);

    /** Kafka's group.min/max.session.timeout.ms defaults: a broker refuses a session outside them. */
    static final int MIN_SESSION_SECONDS = 6;
    static final int MAX_SESSION_SECONDS = 1800;

    /** Kafka's legal characters for a group instance id; the length leaves room for the thread suffix (max 249). */
    private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public GroupMembership {
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (instanceId != null && !LEGAL_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("the instance id must be 1 to 200 of a-z, A-Z, 0-9, '.', '_', '-', got "
                    + SafeText.quote(instanceId));
        }
        long seconds = sessionTimeout.toSeconds();
        if (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
            throw new IllegalArgumentException("the session timeout must be between " + MIN_SESSION_SECONDS + " and "
                    + MAX_SESSION_SECONDS + " s, got " + seconds + " s");
        }
    }

    /** From {@value #INSTANCE_ID_VAR}, {@value #SESSION_TIMEOUT_VAR} and {@value #LEAVE_GROUP_VAR}. */
    static GroupMembership fromEnv(Env env) {
        return new GroupMembership(
                env.read(INSTANCE_ID_VAR, null, GroupMembership::checkedId,
                        "1 to 200 of a-z, A-Z, 0-9, '.', '_', '-' (unique per instance)"),
                Duration.ofSeconds(env.integer(SESSION_TIMEOUT_VAR, (int) DEFAULT_SESSION_TIMEOUT.toSeconds(),
                        MIN_SESSION_SECONDS, MAX_SESSION_SECONDS)),
                env.bool(LEAVE_GROUP_VAR, true));
    }

    private static String checkedId(String text) {
        if (!LEGAL_ID.matcher(text).matches()) {
            throw new IllegalArgumentException("illegal instance id");
        }
        return text;
    }

    /** Kafka's defaults with the instance id chosen at start. */
    static GroupMembership defaults() {
        return new GroupMembership(null, DEFAULT_SESSION_TIMEOUT, true);
    }

    /**
     * This membership with an instance id: the configured one, else the one kept in {@code stateDir}'s
     * {@value #INSTANCE_ID_FILE}, else a new one (the {@code host} name, cleaned, and 8 random hex digits) written
     * there. Kept
     * with the state, the id is stable exactly as long as the instance's state is, and two instances never share one
     * (unless a state directory is copied, which would confuse Kafka Streams too).
     */
    GroupMembership resolved(Path stateDir, Supplier<String> host) {
        if (instanceId != null) {
            return this;
        }
        Path file = stateDir.resolve(INSTANCE_ID_FILE);
        try {
            Files.createDirectories(stateDir);
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            String made = "keywatch-" + clean(host.get()) + "-" + HexFormat.of().formatHex(random);
            try {
                Files.writeString(file, made + "\n", StandardCharsets.US_ASCII,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new GroupMembership(made, sessionTimeout, leaveGroupOnClose);
            } catch (FileAlreadyExistsException kept) {
                String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (!LEGAL_ID.matcher(id).matches()) {
                    throw new IllegalStateException(file + " does not hold a valid instance id (got "
                            + SafeText.quote(id) + "); delete it to make a new one, or set " + INSTANCE_ID_VAR);
                }
                return new GroupMembership(id, sessionTimeout, leaveGroupOnClose);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id in " + file + "; set " + INSTANCE_ID_VAR, e);
        }
    }

    /** The host name in the id's characters, short: only a hint for people reading the group's members. */
    private static String clean(String host) {
        String cleaned = host == null ? "" : host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        cleaned = cleaned.length() > 60 ? cleaned.substring(0, 60) : cleaned;
        return cleaned.isEmpty() ? "host" : cleaned;
    }

    /** The client settings: the instance id (once resolved) and the session timeout of the main consumers. */
    void addTo(Properties props) {
        if (instanceId != null) {
            // Kafka Streams gives it to the main consumers only, each thread's with "-<thread>" appended
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    }

    /** The client settings keywatch owns here, prefixed forms included (not to be set via KEYWATCH_STREAMS_CONFIG_*). */
    static final Set<String> OWNED = Set.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
            StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
            StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
}
