package io.keywatch.api.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.api.alerts.AcknowledgeRequest;
import io.keywatch.api.alerts.ResolveRequest;
import io.keywatch.api.approvals.DecisionNote;
import io.keywatch.api.approvals.ReinstatementReason;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.revocation.DecisionAnswer;
import io.keywatch.api.silences.SilenceRequest;
import io.keywatch.api.tokens.TokenRequest;
import java.util.List;

/**
 * Any bytes at all bound to each record converted to {@link JsonBodies#bind}: a valid record or an
 * {@link InvalidInputException} (a 400), never another exception (which would be a 500).
 */
class JsonBodiesBindFuzzTest {

    private static final List<Class<? extends Record>> TYPES = List.of(SilenceRequest.class, TokenRequest.class,
            ReinstatementReason.class, DecisionNote.class,
            AcknowledgeRequest.class, ResolveRequest.class, DecisionAnswer.class);
    private static final java.util.regex.Pattern UNKNOWN_FIELD =
            java.util.regex.Pattern.compile("unknown field( in [A-Za-z0-9_.\\[\\]]+)?, expected some of \\[[A-Za-z, ]*\\]");

    @FuzzTest
    void everyBodyIsARecordOrAnInvalidInput(FuzzedDataProvider data) {
        // the last byte picks the record (Jazzer reads numbers from the end), the rest is the body
        Class<? extends Record> type = TYPES.get(data.consumeInt(0, TYPES.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        try {
            JsonBodies.bind(body, type, "{}");
        } catch (InvalidInputException expected) {
            if (expected.getMessage() == null || expected.getMessage().length() > 2_000) {
                throw new AssertionError("a refusal without a short message", expected);
            }
            // an unknown field's name is the attacker's: the message holds only the record's own names and indices
            if (expected.getMessage().startsWith("unknown field")
                    && !UNKNOWN_FIELD.matcher(expected.getMessage()).matches()) {
                throw new AssertionError("an unknown field's refusal quotes more than known names", expected);
            }
        }
    }
}
