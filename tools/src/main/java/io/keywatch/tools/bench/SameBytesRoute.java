package io.keywatch.tools.bench;

import io.keywatch.api.ApiServer;
import io.keywatch.api.http.Access;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The API phase's yardstick: a route on the same server, behind the same authentication, role check and headers,
 * that answers with the bytes of a real alert list page kept in memory. What the list costs beyond it is the list's
 * own work (the query, the mapping, the JSON), not Jetty's, the clients' or the machine's.
 */
final class SameBytesRoute {

    static final String PATH = "/api/v1/bench/same-bytes";

    private final AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);

    ApiServer.ExtraRoute route() {
        return new ApiServer.ExtraRoute("/bench/same-bytes", Access.VIEWER,
                ctx -> ctx.contentType("application/json").result(body.get()));
    }

    /** What the route answers from now on. */
    void serve(byte[] bytes) {
        body.set(bytes.clone());
    }
}
