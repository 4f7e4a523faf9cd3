package io.keywatch.simulator;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** Makes the usage event of one ordinary request: what a service reports for its honest customers. */
final class RequestFactory {

    /** Outcome shares of ordinary requests, by cumulative probability. */
    private static final double INVALID_SECRET = 0.003;  // a typo or a stale secret: honest, rare
    private static final double SCOPE_DENIED = INVALID_SECRET + 0.004;
    private static final double RATE_LIMITED = SCOPE_DENIED + 0.005;
    private static final double SERVER_ERROR = RATE_LIMITED + 0.003;
    private static final double NOT_FOUND = SERVER_ERROR + 0.03;
    private static final double BAD_REQUEST = NOT_FOUND + 0.015;

    private RequestFactory() {
    }

    /**
     * An ordinary request by {@code key} at {@code time}. A key its owner has been told is revoked still gets
     * calls from forgotten clients; the service then rejects them as {@link AuthResult#REVOKED}.
     */
    static UsageEvent ordinary(KeyProfile key, Instant time, boolean revoked, SplittableRandom rng) {
        String eventId = RandomDraws.uuid(rng).toString();
        Route route = pickRoute(key.routes(), rng);
        ClientEndpoint client = pickClient(key.clients(), rng);
        AuthResult auth;
        int status;
        double r = rng.nextDouble();
        if (revoked) {
            auth = AuthResult.REVOKED;
            status = 401;
        } else if (r < INVALID_SECRET) {
            auth = AuthResult.INVALID_SECRET;
            status = 401;
        } else if (r < SCOPE_DENIED) {
            auth = AuthResult.SCOPE_DENIED;
            status = 403;
        } else if (r < RATE_LIMITED) {
            auth = AuthResult.RATE_LIMITED;
            status = 429;
        } else if (r < SERVER_ERROR) {
            auth = AuthResult.OK;
            status = RandomDraws.pick(rng, List.of(500, 500, 502, 503));
        } else if (r < NOT_FOUND) {
            auth = AuthResult.OK;
            status = 404;
        } else if (r < BAD_REQUEST) {
            auth = AuthResult.OK;
            status = route.isRead() ? 400 : 422;
        } else {
            auth = AuthResult.OK;
            status = route.method().equals("POST") ? 201 : route.method().equals("DELETE") ? 204 : 200;
        }
        return UsageEvent.of(eventId, key.keyId(), time, key.service(), auth)
                .withRequest(route.method(), route.path(), status)
                .withClient(client.ip(), client.country(), client.userAgent())
                .withDetails(latency(route, status, rng), scope(key.service(), route), true, CredentialLocation.HEADER);
    }

    /** Server-side latency: log-normal around the route's median; rejected requests return early, errors late. */
    static int latency(Route route, int status, SplittableRandom rng) {
        double median = route.medianLatencyMs();
        if (status == 401 || status == 403 || status == 429) {
            median = 4;
        } else if (status >= 500) {
            median *= 8;
        }
        return (int) Math.max(1, Math.min(30_000, Math.round(RandomDraws.logNormal(rng, median, 0.5))));
    }

    static String scope(String service, Route route) {
        return service + (route.isRead() ? ":read" : ":write");
    }

    static Route pickRoute(List<Route> routes, SplittableRandom rng) {
        double[] weights = new double[routes.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = routes.get(i).weight();
        }
        return routes.get(RandomDraws.weightedIndex(rng, weights));
    }

    private static ClientEndpoint pickClient(List<ClientEndpoint> clients, SplittableRandom rng) {
        if (clients.size() == 1) {
            return clients.get(0);
        }
        double[] weights = new double[clients.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = clients.get(i).weight();
        }
        return clients.get(RandomDraws.weightedIndex(rng, weights));
    }
}
