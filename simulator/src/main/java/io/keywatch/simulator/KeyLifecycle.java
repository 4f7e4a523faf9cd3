package io.keywatch.simulator;

/** Whether a simulated key still makes ordinary traffic, and why not. */
public enum KeyLifecycle {
    /** In use: ordinary traffic every day, following the key's daily rhythm. */
    ACTIVE,
    /** Registered and valid but unused: its traffic stopped more than 30 days before the registry anchor. */
    DORMANT,
    /** Its registered expiry passed a few days before the registry anchor; its owner moved to another key. */
    EXPIRED;

    public boolean makesTraffic() {
        return this == ACTIVE;
    }
}
