package io.keywatch.api.alerts.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.ServiceUnavailableResponse;
import io.keywatch.api.alerts.AlertController;
import io.keywatch.api.alerts.AlertQuery;
import io.keywatch.api.http.InputText;
import io.keywatch.api.http.Principals;
import io.keywatch.api.http.RequestParams;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    private final AlertStream stream;
    private final ObjectMapper json;

    public AlertStreamController(AlertStream stream, ObjectMapper json) {
        this.stream = stream;
        this.json = json;
    }

    public void stream(Context ctx) throws IOException {
        AlertQuery filter = AlertController.query(ctx);
        OptionalLong lastEventId = lastEventId(ctx);
        String principal = Principals.of(ctx).identity();
        AlertSubscription subscription;
        try {
            subscription = stream.subscribe(principal, filter::matches, lastEventId);
        } catch (StreamRefusedException e) {
            ctx.header("Retry-After", Long.toString(e.retryAfter().toSeconds()));
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
            write(subscription, out);
        }
    }

    private void write(AlertSubscription subscription, OutputStream out) throws IOException {
        try {
            while (true) {
                StreamEvent event = subscription.next(stream.settings().heartbeat());
                out.write(event == null ? KEEPALIVE : encode(event));
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
