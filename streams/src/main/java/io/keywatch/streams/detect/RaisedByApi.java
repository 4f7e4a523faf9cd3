package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import java.util.List;

/** Rules the API raises, not the topology: declared here only so that the rule tables list every rule. */
enum RaisedByApi implements Detector {
    REVOCATION_GUARD_TRIPPED(new RuleDeclaration(AlertRule.REVOCATION_GUARD_TRIPPED, Trigger.API, Dedup.API,
            "`CRITICAL`", Toggle.ALWAYS_ON, null, List.of(),
            "raised by the API, not the topology: the blast-radius guard held back automatic revocations "
                    + "([Automatic revocation, and its safety rails](#automatic-revocation-and-its-safety-rails))")),
    WEBHOOK_FAILING(new RuleDeclaration(AlertRule.WEBHOOK_FAILING, Trigger.API, Dedup.API, "`HIGH`",
            Toggle.ALWAYS_ON, null, List.of(),
            "raised by the API, not the topology: a webhook subscription's endpoint failed a whole retry schedule "
                    + "([Deliveries that are not lost](#deliveries-that-are-not-lost)); key id = the subscription id, "
                    + "evidence = endpoint origin (never its path), failing since, last error; never revokes "
                    + "anything; not resolved when the endpoint recovers: acknowledge/resolve it (or let "
                    + "auto-resolve) like any alert"));

    private final RuleDeclaration declaration;

    RaisedByApi(RuleDeclaration declaration) {
        this.declaration = declaration;
    }

    @Override
    public RuleDeclaration declaration() {
        return declaration;
    }
}
