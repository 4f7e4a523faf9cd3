package io.keywatch.api.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Kafka is up when the cluster describes itself within a short timeout. The answer is cached for a few seconds
 * so that a load balancer polling /health does not become load on the brokers.
 */
public final class KafkaHealthCheck implements HealthCheck {

    private final Admin admin;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private Cached cached;

    private record Cached(ComponentHealth health, Instant until) {
    }

    public KafkaHealthCheck(Admin admin, Duration timeout, Duration cacheFor, Clock clock) {
        this.admin = admin;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    public KafkaHealthCheck(Admin admin) {
        this(admin, Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC());
    }

    @Override
    public synchronized ComponentHealth check() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.until())) {
            return cached.health();
        }
        ComponentHealth health = describe();
        cached = new Cached(health, now.plus(cacheFor));
        return health;
    }

    private ComponentHealth describe() {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return nodes.isEmpty() ? ComponentHealth.down("no brokers") : ComponentHealth.up(nodes.size() + " broker(s)");
        } catch (ExecutionException e) {
            return ComponentHealth.down(String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            return ComponentHealth.down("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ComponentHealth.down("interrupted");
        } catch (RuntimeException e) {
            return ComponentHealth.down(e.getMessage());
        }
    }
}
