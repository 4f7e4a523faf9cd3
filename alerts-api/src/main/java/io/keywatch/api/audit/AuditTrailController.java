package io.keywatch.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The audit trail over HTTP: {@code GET /api/v1/audit/verify} recomputes the hash chain;
 * {@code GET /api/v1/audit/export} ({@code ?since&until&afterId&limit}) streams entries as JSON lines, oldest first.
 */
public final class AuditTrailController {

    public static final String NDJSON = "application/x-ndjson";
    static final int DEFAULT_LIMIT = 1_000;
    static final int MAX_LIMIT = 10_000;
    static final Duration MAX_RANGE = Duration.ofDays(366);

    private final AuditLog log;
    private final ObjectWriter lines;

    public AuditTrailController(AuditLog log, ObjectMapper json) {
        this.log = log;
        this.lines = json.writer();
    }

    public void verify(Context ctx) {
        ctx.json(log.verify());
    }

    public void export(Context ctx) {
        Instant since = RequestParams.instantParam(ctx, "since");
        Instant until = RequestParams.instantParam(ctx, "until");
        if (since != null && until != null) {
            if (!since.isBefore(until)) {
                throw new BadRequestResponse("until must be after since");
            }
            if (Duration.between(since, until).compareTo(MAX_RANGE) > 0) {
                throw new BadRequestResponse("until must be at most " + MAX_RANGE.toDays() + " days after since");
            }
        }
        long afterId = afterId(ctx);
        int limit = RequestParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        ctx.contentType(NDJSON);
        // parameters are all checked: from here on the answer is 200, written line by line as rows arrive
        OutputStream out = new BufferedOutputStream(ctx.outputStream(), 16 * 1024);
        log.export(new AuditLog.ExportQuery(since, until, afterId, limit), entry -> {
            try {
                out.write(lines.writeValueAsBytes(entry));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("audit export interrupted (client gone?)", e);
            }
        });
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("audit export interrupted (client gone?)", e);
        }
    }

    private static long afterId(Context ctx) {
        String value = RequestParams.text(ctx, "afterId", 20);
        if (value == null) {
            return 0;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below, like a negative number
        }
        throw new BadRequestResponse("afterId must be a whole number >= 0 (the id of the last entry received), got "
                + InputText.quote(value));
    }
}
