package io.keywatch.api.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.http.JsonBodies;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body of approving or denying a decision, bound to a record: a note or none, strictly. */
class DecisionAnswerTest {

    private static DecisionAnswer bind(String json) {
        return JsonBodies.bind(json.getBytes(StandardCharsets.UTF_8), DecisionAnswer.class, "{}");
    }

    @Test
    void bindsAnOptionalNote() {
        assertThat(bind("{}").note()).isNull();
        assertThat(bind("{\"note\":null}").note()).isNull();
        assertThat(bind("{\"note\":\" confirmed\\nleak \"}").note()).isEqualTo("confirmed\nleak");
    }

    @Test
    void refusesUnknownFieldsAndWrongNotesNamingTheField() {
        assertThatThrownBy(() -> bind("{\"note\":\"x\",\"approve\":true}")).isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown field, expected some of [note]");
        assertThatThrownBy(() -> bind("{\"note\":42}")).hasMessage("note must be a string, got number");
        assertThatThrownBy(() -> bind("{\"note\":\"\"}")).hasMessage("note must not be blank");
        assertThatThrownBy(() -> bind("{\"note\":\"" + "n".repeat(DecisionAnswer.MAX_NOTE + 1) + "\"}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("note ");
        assertThatThrownBy(() -> bind("{\"note\":\"a\\u0007b\"}")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("note ");
    }
}
