package io.keywatch.api.webhooks;

import java.time.Duration;

/**
 * Wakes the relay in this process as soon as a transaction that added deliveries commits, so that a revocation
 * reaches its webhook receivers within milliseconds rather than at the next poll. The poll interval stays the
 * fallback (other API instances, retries coming due). A wake-up is never lost: one that arrives while the relay is
 * busy makes its next wait return at once.
 */
public final class RelaySignal {

    private boolean signalled;

    public synchronized void wake() {
        signalled = true;
        notifyAll();
    }

    /** Waits until woken or {@code timeout} passed; returns whether it was woken. */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!signalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        signalled = false;
        return true;
    }
}
