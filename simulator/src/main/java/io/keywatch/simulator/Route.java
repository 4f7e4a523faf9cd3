package io.keywatch.simulator;

/**
 * One endpoint of a simulated service.
 *
 * @param path            the route template services report ({@code /v1/invoices/{id}}), not the concrete URL:
 *                        it keeps the path's cardinality low and the evidence readable
 * @param weight          how often a typical integration calls it, relative to the service's other routes
 * @param medianLatencyMs typical server-side latency
 */
public record Route(String method, String path, double weight, int medianLatencyMs) {

    boolean isRead() {
        return method.equals("GET");
    }
}
