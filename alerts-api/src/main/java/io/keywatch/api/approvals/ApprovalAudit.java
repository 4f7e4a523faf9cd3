package io.keywatch.api.approvals;

import io.keywatch.api.auth.Actor;
import org.jdbi.v3.core.Handle;

/**
 * Told of each approval event inside the transaction that records it, so that an audit entry commits or rolls back
 * with it. The audit trail binds its recorder here; {@link #NONE} until then.
 */
public interface ApprovalAudit {

    ApprovalAudit NONE = new ApprovalAudit() {
        @Override
        public void requested(Handle handle, ApprovalRequest request, Actor actor) {
        }

        @Override
        public void decided(Handle handle, ApprovalRequest request, Actor actor) {
        }
    };

    /** {@code actor} asked for the change; {@code request} is PENDING. */
    void requested(Handle handle, ApprovalRequest request, Actor actor);

    /**
     * {@code actor} approved or denied the request ({@code request.status()} APPROVED or DENIED). An approved
     * request's change is carried out after this transaction; its own audit entry (e.g. the reinstatement) follows.
     */
    void decided(Handle handle, ApprovalRequest request, Actor actor);
}
