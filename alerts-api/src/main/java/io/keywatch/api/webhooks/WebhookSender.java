package io.keywatch.api.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one signed delivery attempt with {@link HttpClient}: a POST of the exact signed bytes, redirects not
 * followed (Standard Webhooks treats 3xx as a failure: the owner should fix the URL), bounded connect and request
 * times, and at most {@value #MAX_RESPONSE_BYTES} bytes of the answer read. Never throws for a failed attempt:
 * every failure is an {@link AttemptResult}; only a request that cannot even be built (so will never be sent)
 * throws {@link UnsendableRequestException}. Logs carry the event id, the URL's origin and the outcome, never the
 * secret, the signature, or the URL's path and query (which may hold the receiver's own token).
 *
 * <p>With an {@link SsrfGuard}, the URL is checked again right before connecting, so that a host re-pointed at
 * an internal address since registration is not called. Thread-safe; share one per process.
 */
public final class WebhookSender {

    public static final int MAX_RESPONSE_BYTES = 1024;
    public static final String USER_AGENT = "keywatch-webhooks/1";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    /** Extra time, beyond the request timeout, for a response body that trickles in. */
    private static final Duration BODY_GRACE = Duration.ofSeconds(1);

    private final HttpClient client;
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
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                // HTTP/1.1 everywhere: no h2c upgrade dance on plain http, what every webhook receiver speaks
                .version(HttpClient.Version.HTTP_1_1)
                .build();
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
        if (guard != null) {
            SsrfGuard.Verdict verdict = guard.recheck(url);
            if (!verdict.allowed()) {
                AttemptResult refused = new AttemptResult(AttemptResult.Outcome.RETRY, attemptedAt, null, 0,
                        "not sent: " + verdict.reason(), null, null);
                log(url, request, refused);
                return refused;
            }
        }
        HttpRequest httpRequest = prepared.httpRequest();
        long started = System.nanoTime();
        AttemptResult result;
        CompletableFuture<HttpResponse<Body>> future = null;
        try {
            future = client.sendAsync(httpRequest, info -> new TruncatingSubscriber(MAX_RESPONSE_BYTES));
            HttpResponse<Body> response = future.get(
                    requestTimeout.plus(connectTimeout).plus(BODY_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            result = new AttemptResult(AttemptResult.outcomeOf(status), attemptedAt, status, elapsedMs(started),
                    status >= 300 && status <= 399 ? "redirect not followed; update the webhook URL" : null,
                    RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null), clock).orElse(null),
                    response.body().text());
        } catch (ExecutionException e) {
            result = failed(attemptedAt, started, describe(e.getCause()));
        } catch (TimeoutException e) {
            future.cancel(true);
            result = failed(attemptedAt, started, "no complete response within "
                    + requestTimeout.plus(connectTimeout).plus(BODY_GRACE).toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (future != null) {
                future.cancel(true);
            }
            result = failed(attemptedAt, started, "interrupted");
        }
        log(url, request, result);
        return result;
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
    private String describe(Throwable failure) {
        Throwable cause = failure;
        // the most specific cause: HttpClient wraps ConnectException and friends in plain IOExceptions
        while (cause.getCause() != null && !(cause instanceof HttpTimeoutException)
                && !(cause instanceof ConnectException) && !(cause instanceof UnknownHostException)
                && !(cause instanceof SSLException)) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + connectTimeout.toMillis() + " ms";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out after " + requestTimeout.toMillis() + " ms waiting for a response";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof UnknownHostException) {
            return "host does not resolve";
        }
        if (cause instanceof SSLException) {
            return "TLS failed: " + cause.getMessage();
        }
        if (cause instanceof IOException) {
            return "I/O error: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
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

    /** The first bytes of a response body, as text. */
    record Body(byte[] bytes, boolean truncated) {
        private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]");

        String text() {
            if (bytes.length == 0) {
                return null;
            }
            // the receiver's bytes: NUL (which PostgreSQL cannot store in text) and other controls become U+FFFD
            String text = CONTROL.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("\uFFFD");
            return truncated ? text + "…" : text;
        }
    }

    /** Keeps the first {@code limit} bytes of a body and stops reading there. */
    static final class TruncatingSubscriber implements HttpResponse.BodySubscriber<Body> {

        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        TruncatingSubscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - out.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                out.write(chunk, 0, take);
                if (buffer.hasRemaining()) { // only when the limit is reached: the rest is not read
                    subscription.cancel();
                    result.complete(new Body(out.toByteArray(), true));
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(out.toByteArray(), false));
        }

        @Override
        public CompletableFuture<Body> getBody() {
            return result;
        }
    }
}
