package io.keywatch.streams.metrics;

import io.keywatch.events.Alert;
import io.keywatch.events.RejectCode;

/**
 * What the topology counts as it goes (README: Metrics). Called on the hot path by every stream thread: an
 * implementation must be thread-safe, cheap and must not allocate per call, and must never take a label from the
 * record (key ids, addresses and reasons are attacker-written; only the bounded enums here are labels).
 */
public interface TopologyMetrics {

    /** One record read from the usage-events topic (valid or not). */
    void eventRead();

    /** One usage event sent to the dead-letter topic by the topology itself (parse, future, late). */
    void deadLettered(RejectCode code);

    /** One alert sent to the alerts topic; its detection lag is {@code detectedAt - triggeredAt}. */
    void alertRaised(Alert alert);

    /** Counts nothing: offline tools and tests that do not look. */
    static TopologyMetrics none() {
        return NoTopologyMetrics.INSTANCE;
    }

    /** The do-nothing implementation of {@link #none()}. */
    enum NoTopologyMetrics implements TopologyMetrics {
        INSTANCE;

        @Override
        public void eventRead() {
        }

        @Override
        public void deadLettered(RejectCode code) {
        }

        @Override
        public void alertRaised(Alert alert) {
        }
    }
}
