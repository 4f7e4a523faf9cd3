package io.keywatch.api.approvals;

/** The changes that wait for a second identity's approval when four eyes are on. Stored by {@link #code()}. */
public enum ApprovalAction {
    /** Making a revoked key active again. */
    REINSTATE_KEY("reinstate-key"),
    /** A silence without a key id: it switches automatic revocation off for every key the rule flags. */
    RULE_WIDE_SILENCE("rule-wide-silence");

    private final String code;

    ApprovalAction(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ApprovalAction fromCode(String code) {
        for (ApprovalAction action : values()) {
            if (action.code.equals(code)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown approval action code");
    }
}
