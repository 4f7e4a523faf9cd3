package io.keywatch.api.webhooks;

import io.keywatch.api.alerts.FailureClassifier;
import io.keywatch.api.alerts.FailureReasons;
import io.keywatch.api.alerts.IntakeFailure;
import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.secrets.SealedSecretException;
import io.keywatch.api.secrets.SecretBox;
import io.keywatch.events.SafeText;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: claims due deliveries (with a lease, {@link DeliveryStore#claim}), signs the stored bytes with
 * the subscription's secret(s) and a fresh timestamp, sends them with {@link WebhookSender} from a small pool of
 * workers, records every attempt and applies {@link NextStep}. It wakes on the {@link RelaySignal} right after a
 * commit that added deliveries, when a worker frees up, and otherwise every relay interval.
 *
 * <p>One delivery never holds up the others: each attempt runs on its own worker, bounded by the sender's
 * timeouts, and a delivery that can never be sent as stored (a secret, URL or payload that cannot make a signed
 * request, or an attempt the database refuses for good) is marked FAILED with its reason at once instead of being
 * retried after every lease.
 *
 * <p>Nothing is lost across restarts: every attempt is written IN_FLIGHT (and counted) before it is sent and its
 * outcome after; a delivery that a stopped (or crashed) relay had claimed becomes due again when its lease runs out,
 * and its orphaned attempt shows as UNKNOWN. Nothing is lost to a long outage either: when a delivery's retry
 * schedule runs out the subscription is FAILING, its deliveries are kept, and the oldest is sent as a probe on the
 * {@link ProbeSchedule} until the endpoint answers; then the kept deliveries flow again.
 */
public final class WebhookRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRelay.class);
    /** Margin of a lease beyond the longest attempt the sender can make. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
    /** How long close() waits for attempts in flight; an attempt cut short is retried after its lease. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final DeliveryStore store;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final ProbeSchedule probes;
    private final Duration interval;
    private final Duration lease;
    private final RelaySignal signal;
    private final Clock clock;
    private final SecretBox box;
    private final int workers;
    private final Semaphore free;
    private final ExecutorService pool;
    private final RandomGenerator random = new Random();
    private final FailureClassifier classifier = new FailureClassifier();
    private final Thread loop;
    private volatile boolean running = true;
    private AttemptListener attempts = AttemptListener.NONE;

    public WebhookRelay(DeliveryStore store, WebhookSender sender, WebhookSettings settings, RelaySignal signal,
                        Clock clock, int workers, SecretBox box) {
        this.store = Objects.requireNonNull(store, "store");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.schedule = settings.retrySchedule();
        this.probes = settings.probes();
        this.interval = settings.relayInterval();
        // the sender waits at most connect + request timeout + 1 s; the lease outlasts that
        this.lease = settings.timeout().multipliedBy(2).plusSeconds(1).plus(LEASE_MARGIN);
        this.signal = Objects.requireNonNull(signal, "signal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.box = Objects.requireNonNull(box, "box");
        this.workers = workers;
        this.free = new Semaphore(workers);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "keywatch-webhook-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(workers, threads);
        this.loop = new Thread(this::run, "keywatch-webhook-relay");
        this.loop.setDaemon(true);
    }

    /** Who hears of each attempt (the metrics); before {@link #start()}. */
    public WebhookRelay withListener(AttemptListener listener) {
        this.attempts = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public WebhookRelay start() {
        loop.start();
        LOG.info("Webhook relay started: {} worker(s), poll every {} ms, lease {} s, retries {}, then {}", workers,
                interval.toMillis(), lease.toSeconds(), schedule.spec(), probes);
        return this;
    }

    private void run() {
        while (running) {
            try {
                int available = free.availablePermits();
                int claimed = 0;
                if (available > 0) {
                    claimed = claimAndSubmit(available);
                }
                if (claimed > 0 && claimed == available) {
                    continue; // a full batch: more may be due right now
                }
                signal.await(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away, say: try again at the next interval
                LOG.warn("Webhook relay could not claim deliveries: {}", LoggedFailure.describe(e));
                try {
                    signal.await(interval);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private int claimAndSubmit(int max) {
        List<DeliveryStore.Claim> claims = store.claim(max, lease);
        for (DeliveryStore.Claim claim : claims) {
            free.acquireUninterruptibly();
            try {
                pool.execute(() -> {
                    try {
                        deliver(claim);
                    } finally {
                        free.release();
                        signal.wake();
                    }
                });
            } catch (RuntimeException e) {
                free.release();
                store.release(claim);
            }
        }
        return claims.size();
    }

    /** One attempt for one claimed delivery. */
    void deliver(DeliveryStore.Claim claim) {
        try {
            if (!claim.active()) {
                store.failInactive(claim);
                return;
            }
            if (!running) {
                store.release(claim);
                return;
            }
            Instant now = clock.instant();
            WebhookSender.Prepared prepared;
            try {
                URI url = URI.create(claim.url());
                SignedRequest request = signer(claim, now).sign(claim.eventId(), now.getEpochSecond(),
                        claim.payload());
                prepared = sender.prepare(url, request);
            } catch (UnsendableRequestException e) {
                unsendable(claim, e.getMessage());
                return;
            } catch (RuntimeException e) {
                unsendable(claim, "the stored URL, secret or payload cannot make a signed request ("
                        + e.getClass().getSimpleName() + ")");
                return;
            }
            // logged (and counted) before anything leaves: a crash from here on leaves an attempt the log shows
            Optional<DeliveryStore.Started> started = store.begin(claim);
            if (started.isEmpty()) {
                LOG.info("Webhook {} to subscription {}: lease lost before sending; left to its new owner",
                        claim.eventId(), claim.subscriptionId());
                return;
            }
            AttemptResult result = sender.send(prepared);
            attempts.attempted(result);
            Instant done = clock.instant();
            NextStep step = claim.probe()
                    ? NextStep.afterProbe(claim.probeAttempts() + 1, result, probes, done, random)
                    : NextStep.after(started.get().attempt() - claim.roundStart(), result, schedule, probes, done,
                    random);
            store.record(claim, started.get(), result, step);
            if (step.kind() != NextStep.Kind.DELIVERED) {
                LOG.info("Webhook {} ({}) to subscription {}: {}", claim.eventId(), claim.type(),
                        claim.subscriptionId(), step.reason());
            } else if (claim.probe()) {
                LOG.info("Webhook subscription {} answered probe {}: healthy again, kept deliveries resume",
                        claim.subscriptionId(), claim.probeAttempts() + 1);
            }
        } catch (RuntimeException e) {
            IntakeFailure failure = classifier.classify(e);
            if (failure.isPermanent() && failure.decisive() instanceof SQLException sql) {
                // the database refuses this attempt's row for good (by its SQLState): stop retrying it after every
                // lease. Only then: an argument or null error (SsrfGuard, a bug) says nothing about the delivery,
                // and failing a revocation webhook for it would drop it for good
                unsendable(claim, "the attempt cannot be recorded (SQLState "
                        + SafeText.escape(String.valueOf(sql.getSQLState()), 5) + ")");
                return;
            }
            // the lease runs out and the delivery is tried again; nothing is lost
            LOG.warn("Webhook {} to subscription {}: attempt not recorded ({}), retried after the lease: {}",
                    claim.eventId(), claim.subscriptionId(), failure.reasonCode(),
                    FailureReasons.of(failure.decisive())); // the driver's message quotes the failing row
        }
    }

    /** The secret(s) to sign with: the current one, and the previous one while its rotation grace lasts. */
    private WebhookSigner signer(DeliveryStore.Claim claim, Instant now) {
        WebhookSecret current = open(claim.secret(), claim);
        return claim.previousSecret() != null && claim.previousSecretUntil() != null
                && claim.previousSecretUntil().isAfter(now)
                ? WebhookSigner.of(current, open(claim.previousSecret(), claim))
                : WebhookSigner.of(current);
    }

    /** A stored secret, opened for this subscription only; one that does not open makes the delivery unsendable. */
    private WebhookSecret open(String stored, DeliveryStore.Claim claim) {
        try {
            return WebhookSecret.parse(box.open(stored, claim.subscriptionId()));
        } catch (SealedSecretException e) {
            throw new UnsendableRequestException("the stored secret cannot be used: " + e.getMessage());
        }
    }

    /** Marks a delivery that will always fail before the network FAILED with its reason; never throws. */
    private void unsendable(DeliveryStore.Claim claim, String why) {
        String reason = "not sent: " + why;
        attempts.unsendable();
        LOG.warn("Webhook {} ({}) to subscription {} failed for good: {}", claim.eventId(), claim.type(),
                claim.subscriptionId(), reason);
        try {
            store.failUnsendable(claim, reason);
        } catch (RuntimeException e) {
            LOG.warn("Webhook {} to subscription {}: could not mark it failed, retried after the lease: {}",
                    claim.eventId(), claim.subscriptionId(), LoggedFailure.describe(e));
        }
    }

    /**
     * Stops claiming, lets attempts in flight finish (each is bounded by the sender's timeouts) and records them.
     * Deliveries not yet attempted stay PENDING for the next start or another instance.
     */
    @Override
    public void close() {
        running = false;
        signal.wake();
        try {
            loop.join(5_000);
            pool.shutdown();
            if (!pool.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Webhook deliveries still in flight at shutdown; they are retried when their lease ends");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    /** Claims and attempts every due delivery once, on the calling thread (tests, tools). */
    public int drainOnce() {
        List<DeliveryStore.Claim> claims = new ArrayList<>(store.claim(workers, lease));
        claims.forEach(this::deliver);
        return claims.size();
    }
}
