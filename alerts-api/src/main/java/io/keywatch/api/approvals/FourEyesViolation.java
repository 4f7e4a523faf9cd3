package io.keywatch.api.approvals;

/** The identity may not take this step of a four-eyes change (approve its own request, undo its own revocation): 403. */
public final class FourEyesViolation extends RuntimeException {

    public FourEyesViolation(String message) {
        super(message);
    }
}
