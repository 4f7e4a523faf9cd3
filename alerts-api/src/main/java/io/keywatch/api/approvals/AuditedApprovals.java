package io.keywatch.api.approvals;

import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/** Four-eyes requests and decisions in the audit trail, in the transaction that records them. */
public final class AuditedApprovals implements ApprovalAudit {

    @Override
    public void requested(Handle handle, ApprovalRequest request, Actor actor) {
        new AuditTrail(handle).record(AuditEntry.of(actor, request.requestedAt(), "approval.requested", "approval",
                request.id(), null, request));
    }

    @Override
    public void decided(Handle handle, ApprovalRequest request, Actor actor) {
        new AuditTrail(handle).record(AuditEntry.of(actor, request.decidedAt(),
                "approval." + request.status().name().toLowerCase(Locale.ROOT), "approval", request.id(), null,
                request));
    }
}
