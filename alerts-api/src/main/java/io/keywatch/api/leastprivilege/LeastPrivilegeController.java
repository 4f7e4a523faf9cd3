package io.keywatch.api.leastprivilege;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.KeyIdCursor;

/**
 * The least-privilege report over HTTP: {@code GET /api/v1/reports/least-privilege} (keys with scopes unused in the
 * window; filters owner, service; keyset-paged by key id) and {@code GET /api/v1/reports/least-privilege/{keyId}}
 * (any registered key, with its verdict).
 */
public final class LeastPrivilegeController {

    // not the key list's version: a cursor of one list is refused by the other
    static final KeyIdCursor CURSOR = new KeyIdCursor("lp1");

    private final LeastPrivilegeReport report;
    private final LeastPrivilegeSettings settings;

    public LeastPrivilegeController(LeastPrivilegeReport report, LeastPrivilegeSettings settings) {
        this.report = report;
        this.settings = settings;
    }

    public void list(Context ctx) {
        String owner = RequestParams.optional(ctx, "owner");
        String service = RequestParams.optional(ctx, "service");
        int days = days(ctx);
        int limit = RequestParams.intParam(ctx, "limit", LeastPrivilegeQuery.DEFAULT_LIMIT, 1,
                LeastPrivilegeQuery.MAX_LIMIT);
        String after = RequestParams.parsed(ctx, "cursor", RequestParams.MAX_CURSOR_LENGTH,
                CURSOR::decode);
        LeastPrivilegeReport.Page page = report.list(new LeastPrivilegeQuery(owner, service, days, limit, after));
        ctx.json(new LeastPrivilegePage(page.items(),
                page.lastKey() == null ? null : CURSOR.encode(page.lastKey())));
    }

    /** 404 for a key that is not registered (never its id: the path may hold a secret published by mistake). */
    public void get(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        int days = days(ctx);
        ctx.json(report.forKey(keyId, days).orElseThrow(() ->
                new NotFoundResponse("no registered key with that id")));
    }

    private int days(Context ctx) {
        return RequestParams.intParam(ctx, "days", settings.defaultDays(), LeastPrivilegeQuery.MIN_DAYS,
                LeastPrivilegeQuery.MAX_DAYS);
    }
}
