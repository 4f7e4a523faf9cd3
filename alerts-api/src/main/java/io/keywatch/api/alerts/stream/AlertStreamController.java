package io.keywatch.api.alerts.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.http.TooManyRequestsResponse;
import io.keywatch.api.alerts.AlertController;
import io.keywatch.api.alerts.AlertQuery;
import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.http.Principals;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code GET /api/v1/alerts/stream}: Server-Sent Events of every alert change that passes the list's filters. The
 * edge only: parameters, limits as HTTP errors, and writing events; {@link AlertStream} does the rest.
 *
 * <p>Written straight to the response (not Javalin's SSE client) so that a write blocks only this client's thread:
 * what does not fit its bounded buffer ends its subscription, and it resumes with {@code Last-Event-ID}.
 */
public final class AlertStreamController {

    static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    static final String LAST_EVENT_ID_PARAM = "lastEventId";
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);
    /** A planned end (KEYWATCH_SSE_MAX_STREAM_SECONDS): reconnect at once, with Last-Event-ID. */
    private static final byte[] END = ("retry: 500\nevent: end\ndata: {\"reason\":\"the stream's time is up "
            + "(KEYWATCH_SSE_MAX_STREAM_SECONDS): reconnect with Last-Event-ID\"}\n\n").getBytes(StandardCharsets.UTF_8);

    private final AlertStream stream;
    private final ObjectMapper json;

    /** @param json the API's response mapper, so that an alert is the same JSON as in the list */
    public AlertStreamController(AlertStream stream, ObjectMapper json) {
        this.stream = stream;
        this.json = json;
    }

    public void stream(Context ctx) throws IOException {
        AlertQuery filter = AlertController.query(ctx);
        OptionalLong lastEventId = lastEventId(ctx);
        Principal who = Principals.of(ctx);
        String principal = who.identity();
        AlertSubscription subscription;
        try {
            subscription = stream.subscribe(principal, filter::matches, alert -> inScope(filter, alert), lastEventId);
        } catch (StreamRefusedException e) {
            ctx.header("Retry-After", Long.toString(e.retryAfter().toSeconds()));
            if (e.perIdentity()) {
                throw new TooManyRequestsResponse(e.getMessage());
            }
            throw new ServiceUnavailableResponse(e.getMessage());
        }
        try (subscription) {
            ctx.status(HttpStatus.OK);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-store");
            // nginx and friends would otherwise buffer the stream
            ctx.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            // the headers at once, and how long a browser waits before reconnecting
            out.write("retry: 3000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            write(subscription, out, stream.lifetime(who.expiresAt()));
        }
    }

    /** The filter's fields no change can alter: an alert that fails the filter but not these has left it. */
    static boolean inScope(AlertQuery filter, StoredAlert alert) {
        return (filter.keyId() == null || filter.keyId().equals(alert.keyId()))
                && (filter.rule() == null || filter.rule() == alert.rule());
    }

    private void write(AlertSubscription subscription, OutputStream out, Duration lifetime) throws IOException {
        // a credential is checked when a stream opens: ending every stream in time (and when its credential expires)
        // makes the client reconnect and show it again, so a revoked one's stream lasts at most this long
        long endAt = System.nanoTime() + lifetime.toNanos();
        try {
            while (true) {
                long left = endAt - System.nanoTime();
                if (left <= 0) {
                    out.write(END);
                    out.flush();
                    return;
                }
                Duration wait = stream.settings().heartbeat();
                if (wait.toNanos() > left) {
                    wait = Duration.ofNanos(left);
                }
                StreamEvent event = subscription.next(wait);
                if (event != null) {
                    out.write(encode(event));
                } else if (endAt - System.nanoTime() > 0) {
                    out.write(KEEPALIVE);
                }
                out.flush();
            }
        } catch (AlertSubscription.ClosedException ended) {
            // ended by the server (shutdown, client too slow): the client reconnects with its Last-Event-ID
        } catch (IOException gone) {
            // the client went away; its place is freed by the caller's close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] encode(StreamEvent event) throws IOException {
        String text;
        if (event instanceof StreamEvent.Change change) {
            ObjectNode data = json.createObjectNode();
            data.put("change", change.created() ? "created" : "updated");
            data.set("alert", json.valueToTree(change.alert()));
            text = "id: " + change.id() + "\nevent: alert\ndata: " + json.writeValueAsString(data) + "\n\n";
        } else if (event instanceof StreamEvent.Left left) {
            ObjectNode data = json.createObjectNode();
            data.put("change", "left");
            data.set("alert", json.valueToTree(left.alert()));
            text = "id: " + left.id() + "\nevent: alert\ndata: " + json.writeValueAsString(data) + "\n\n";
        } else {
            StreamEvent.Reset reset = (StreamEvent.Reset) event;
            text = "event: reset\ndata: " + json.writeValueAsString(Map.of("reason", reset.reason())) + "\n\n";
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code Last-Event-ID} header, else the {@code lastEventId} parameter (for clients that cannot set headers):
     * a non-negative whole number. A malformed one is a 400: it cannot come from this stream.
     */
    static OptionalLong lastEventId(Context ctx) {
        String header = ctx.header(LAST_EVENT_ID_HEADER);
        String value;
        String name;
        if (header != null && !header.isBlank()) {
            value = InputText.require(LAST_EVENT_ID_HEADER, header.strip(), InputText.Kind.SINGLE_LINE, 64);
            name = LAST_EVENT_ID_HEADER;
        } else {
            value = RequestParams.text(ctx, LAST_EVENT_ID_PARAM, 64);
            name = LAST_EVENT_ID_PARAM;
        }
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long id = Long.parseLong(value);
            if (id >= 0) {
                return OptionalLong.of(id);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestResponse(name + " must be the id of an event of this stream (a whole number), got "
                + InputText.quote(value));
    }
}
