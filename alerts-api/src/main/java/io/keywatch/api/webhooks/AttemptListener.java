package io.keywatch.api.webhooks;

/** Told of each webhook attempt (README: Metrics: webhook deliveries by outcome, with latency). Must not throw. */
public interface AttemptListener {

    /** Hears nothing. */
    AttemptListener NONE = new AttemptListener() {
        @Override
        public void attempted(AttemptResult result) {
        }

        @Override
        public void unsendable() {
        }
    };

    /** An attempt that reached the network: its outcome and latency. */
    void attempted(AttemptResult result);

    /** A delivery that failed for good before the network (bad URL, unopenable secret, refused address). */
    void unsendable();
}
