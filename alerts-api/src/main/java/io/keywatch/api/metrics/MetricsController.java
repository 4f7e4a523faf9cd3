package io.keywatch.api.metrics;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.UnauthorizedResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: the process' registry in Prometheus' text format. Open unless a scrape token is set
 * ({@link MetricsSettings#token()}); what it shows carries no secret and no attacker-written label (README: Security).
 */
public final class MetricsController {

    /** Prometheus' text exposition format, version 0.0.4 (what every scraper accepts). */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final MetricsSettings settings;

    public MetricsController(PrometheusMeterRegistry registry, MetricsSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    public void scrape(Context ctx) {
        if (!settings.authorizes(ctx.header(Header.AUTHORIZATION))) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"keywatch-metrics\"");
            throw new UnauthorizedResponse("/metrics needs the scrape token (KEYWATCH_METRICS_TOKEN) as a bearer token");
        }
        ctx.header(Header.CACHE_CONTROL, "no-store").contentType(CONTENT_TYPE).result(registry.scrape());
    }
}
