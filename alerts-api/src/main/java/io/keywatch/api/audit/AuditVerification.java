package io.keywatch.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code GET /api/v1/audit/verify} found.
 *
 * @param ok       whether every entry's hash matches its content and its predecessor, without gaps, up to the head
 * @param entries  the entries checked (all of them when ok)
 * @param head     the last entry's hash when ok: note it somewhere else, and a rewrite of the whole chain shows too
 * @param brokenAt the first entry that does not verify; null when ok
 * @param reason   why it does not; null when ok
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean ok, long entries, String head, Long brokenAt, String reason) {

    static AuditVerification verified(long entries, String head) {
        return new AuditVerification(true, entries, head, null, null);
    }

    static AuditVerification broken(long entries, long brokenAt, String reason) {
        return new AuditVerification(false, entries, null, brokenAt, reason);
    }
}
