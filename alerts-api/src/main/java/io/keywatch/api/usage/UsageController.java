package io.keywatch.api.usage;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import io.keywatch.api.http.RequestParams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/keys/{keyId}/usage?from=&to=&step=minute|hour}: a key's traffic as detection counted it, one
 * point per step in {@code [from, to)} (default: the last 2 hours by minute). Unknown keys have usage too (they are
 * watched): no 404.
 */
public final class UsageController {

    static final Duration DEFAULT_SPAN = Duration.ofHours(2);
    private static final Duration RETRY_UNCONFIGURED = Duration.ofSeconds(60);

    /** Null when the topology runs in another process and no source is configured. */
    private final UsageSource source;
    private final Clock clock;

    public UsageController(UsageSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    public void usage(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        UsageStep step = RequestParams.parsed(ctx, "step", UsageStep::parse);
        step = step == null ? UsageStep.MINUTE : step;
        Instant to = RequestParams.instantParam(ctx, "to");
        to = to == null ? clock.instant() : to;
        Instant from = RequestParams.instantParam(ctx, "from");
        from = from == null ? to.minus(DEFAULT_SPAN) : from;
        if (!from.isBefore(to)) {
            throw new BadRequestResponse("from must be before to, got from=" + from + " to=" + to);
        }
        long points = UsageSeries.pointCount(from, to, step);
        if (points > UsageSeries.MAX_POINTS) {
            throw new BadRequestResponse("from..to holds " + points + " " + step.label() + "s, at most "
                    + UsageSeries.MAX_POINTS + " points: narrow the range or use step=hour");
        }
        if (source == null) {
            ctx.header("Retry-After", Long.toString(RETRY_UNCONFIGURED.toSeconds()));
            throw new ServiceUnavailableResponse("usage needs the topology's state: this API runs without the "
                    + "topology in its process; ask the instance that runs both (keywatch standalone)");
        }
        Instant start = step.floor(from);
        List<UsageMinute> minutes;
        try {
            minutes = source.minutes(keyId, start, to);
        } catch (UsageUnavailableException e) {
            ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            throw new ServiceUnavailableResponse("usage is not available right now: " + e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keyId", keyId);
        body.put("step", step.label());
        body.put("from", start);
        body.put("to", to);
        body.put("source", source.name());
        body.put("retentionMinutes", source.retention().toMinutes());
        body.put("points", UsageSeries.of(minutes, from, to, step));
        ctx.json(body);
    }
}
