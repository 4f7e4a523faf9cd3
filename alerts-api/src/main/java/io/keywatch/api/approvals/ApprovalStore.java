package io.keywatch.api.approvals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Approval requests in PostgreSQL: opens the transactions; the SQL itself is {@link ApprovalRequests}, bound to one
 * transaction's handle ({@link #on}), so that a decision, its audit entry and the key it reads commit together.
 */
public final class ApprovalStore {

    private final Jdbi jdbi;

    public ApprovalStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        return jdbi.inTransaction(work);
    }

    /** The requests as seen through {@code handle}: the caller's transaction. */
    public ApprovalRequests on(Handle handle) {
        return new ApprovalRequests(handle);
    }

    /** What carrying out an approved request gave; FAILED when the change could not be made. */
    public ApprovalRequest recordOutcome(String id, boolean done, String outcome, Instant now) {
        return jdbi.inTransaction(handle -> on(handle).recordOutcome(id, done, outcome, now));
    }

    public Optional<ApprovalRequest> find(String id, Instant now) {
        return jdbi.withHandle(handle -> on(handle).find(id, now));
    }

    /** Requests newest first; {@code status} null for all. PENDING and EXPIRED follow the clock, not the column. */
    public List<ApprovalRequest> list(ApprovalStatus status, int limit, Instant now) {
        return jdbi.withHandle(handle -> on(handle).list(status, limit, now));
    }
}
