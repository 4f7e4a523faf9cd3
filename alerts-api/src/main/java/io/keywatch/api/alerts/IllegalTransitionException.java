package io.keywatch.api.alerts;

/** A lifecycle change the alert's current status does not allow, such as resolving a resolved alert. */
public final class IllegalTransitionException extends RuntimeException {

    private final AlertStatus current;

    public IllegalTransitionException(String alertId, AlertStatus current, String action) {
        super("cannot " + action + " alert '" + alertId + "': it is " + current);
        this.current = current;
    }

    public AlertStatus current() {
        return current;
    }
}
