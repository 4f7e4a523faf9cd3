package io.keywatch.api.alerts;

import java.util.List;

/**
 * Told about each batch the intake has committed, after the commit: the revocation engine decides about the alerts
 * here. Declared by {@code alerts} and implemented by {@code revocation.RevocationEngine}, so that alerts do not
 * depend on revocation (which reads the stored alerts).
 */
public interface StoredAlertsListener {

    /** The outcomes of one committed batch, in the batch's order; the alerts are stored whatever this does. */
    void stored(List<IntakeOutcome> outcomes);
}
