package io.keywatch.api.webhooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one signed delivery attempt: an HTTP/1.1 POST of the exact signed bytes ({@link PinnedPost}) to the address
 * the {@link SsrfGuard} checked, redirects not followed (Standard Webhooks treats 3xx as a failure: the owner should
 * fix the URL), bounded connect and request times; of the answer only the status, Retry-After and the status line
 * (at most {@value #MAX_SNIPPET_CHARS} characters) are kept, the body is not read. Never throws for a failed attempt:
 * every failure is an {@link AttemptResult}; only a request that cannot even be built (so will never be sent)
 * throws {@link UnsendableRequestException}. Logs carry the event id, the URL's origin and the outcome, never the
 * secret, the signature, or the URL's path and query (which may hold the receiver's own token).
 *
 * <p>With an {@link SsrfGuard}, the URL is checked again right before connecting, so that a host re-pointed at
 * an internal address since registration is not called, and the connection goes to the address checked: the name is
 * not resolved a second time (DNS rebinding). Thread-safe; share one per process.
 */
public final class WebhookSender {

    /** The most of a receiver's status line kept; its body is never read. */
    public static final int MAX_SNIPPET_CHARS = 256;
    public static final String USER_AGENT = "keywatch-webhooks/1";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private final PinnedPost post;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final SsrfGuard guard;
    private final Clock clock;

    /**
     * @param guard checked before every attempt; null only where URLs cannot come from users (tests)
     */
    public WebhookSender(Duration connectTimeout, Duration requestTimeout, SsrfGuard guard, Clock clock) {
        this.connectTimeout = requirePositive(connectTimeout, "connectTimeout");
        this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
        this.guard = guard;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.post = PinnedPost.withDefaultTrust();
    }

    /** The settings' timeout for both connecting and the whole request, checked by {@code guard}. */
    public static WebhookSender create(WebhookSettings settings, SsrfGuard guard) {
        return new WebhookSender(settings.timeout(), settings.timeout(), Objects.requireNonNull(guard, "guard"),
                Clock.systemUTC());
    }

    /** A request that can be sent: built (so never refused by the HTTP client) but not yet sent. */
    public record Prepared(URI url, SignedRequest request, HttpRequest httpRequest) {
    }

    /** POSTs the signed request to {@code url} once. */
    public AttemptResult send(URI url, SignedRequest request) {
        return send(prepare(url, request));
    }

    /**
     * Builds the request without any network, so that the relay can tell a request that will never be sent from an
     * attempt before it logs the attempt.
     *
     * @throws UnsendableRequestException when the HTTP client refuses the request (it always will)
     */
    public Prepared prepare(URI url, SignedRequest request) {
        return new Prepared(url, request, build(url, request));
    }

    /** Sends a prepared request once; never throws for a failed attempt. */
    public AttemptResult send(Prepared prepared) {
        URI url = prepared.url();
        SignedRequest request = prepared.request();
        Instant attemptedAt = clock.instant();
        long started = System.nanoTime();
        InetAddress address;
        if (guard != null) {
            SsrfGuard.Verdict verdict = guard.recheck(url);
            if (!verdict.allowed()) {
                AttemptResult refused = new AttemptResult(AttemptResult.Outcome.RETRY, attemptedAt, null, 0,
                        "not sent: " + verdict.reason(), null, null);
                log(url, request, refused);
                return refused;
            }
            address = verdict.pinnedAddress();
        } else {
            try {
                address = InetAddress.getByName(url.getHost());
            } catch (UnknownHostException e) {
                AttemptResult failed = failed(attemptedAt, started, "host does not resolve");
                log(url, request, failed);
                return failed;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", USER_AGENT);
        headers.putAll(request.headers());
        AttemptResult result;
        try {
            PinnedPost.Answer answer = post.post(url, address, headers, request.body(), connectTimeout,
                    requestTimeout);
            int status = answer.status();
            result = new AttemptResult(AttemptResult.outcomeOf(status), attemptedAt, status, elapsedMs(started),
                    status >= 300 && status <= 399 ? "redirect not followed; update the webhook URL" : null,
                    RetryAfter.parse(answer.headers().get("retry-after"), clock).orElse(null),
                    snippet(answer.statusLine()));
        } catch (IOException | RuntimeException e) {
            result = failed(attemptedAt, started, describe(e));
        }
        log(url, request, result);
        return result;
    }

    /** The status line only, never the receiver's body: bounded, control characters replaced. */
    static String snippet(String statusLine) {
        String text = CONTROL.matcher(statusLine).replaceAll("\uFFFD");
        return text.length() <= MAX_SNIPPET_CHARS ? text : text.substring(0, MAX_SNIPPET_CHARS) + "…";
    }

    /**
     * The request, before any network: what HttpClient refuses here (an unsupported scheme, no host, a header it
     * does not allow) it will always refuse, so it is not an attempt to retry.
     *
     * @throws UnsendableRequestException saying what, without the URL's path or query (they may hold a token)
     */
    private HttpRequest build(URI url, SignedRequest request) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .timeout(requestTimeout)
                    .header("user-agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                builder.header(header.getKey(), header.getValue());
            }
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new UnsendableRequestException("the HTTP client refuses this request to " + origin(url) + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private AttemptResult failed(Instant attemptedAt, long started, String error) {
        return new AttemptResult(AttemptResult.Outcome.RETRY, attemptedAt, null, elapsedMs(started), error, null,
                null);
    }

    /** A short, secret-free description of why no response arrived. */
    private String describe(Exception failure) {
        if (failure instanceof PinnedPost.ConnectTimeout) {
            return "connect timed out after " + connectTimeout.toMillis() + " ms";
        }
        if (failure instanceof SocketTimeoutException) {
            return "timed out after " + requestTimeout.toMillis() + " ms waiting for a response";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (failure instanceof SSLException) {
            return "TLS failed: " + failure.getMessage();
        }
        if (failure instanceof IOException) {
            return "I/O error: " + (failure.getMessage() == null ? failure.getClass().getSimpleName()
                    : failure.getMessage());
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static long elapsedMs(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static void log(URI url, SignedRequest request, AttemptResult result) {
        if (LOG.isDebugEnabled() || !result.delivered()) {
            String origin = origin(url);
            if (result.delivered()) {
                LOG.debug("webhook {} to {}: {}", request.id(), origin, result.summary());
            } else {
                LOG.info("webhook {} to {}: {}", request.id(), origin, result.summary());
            }
        }
    }

    private static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
