package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.http.JsonBodies;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bodies of acknowledge and resolve, bound to records: every refusal a 400 naming the field. */
class LifecycleBodiesTest {

    private static <T> T bind(String json, Class<T> type) {
        return JsonBodies.bind(json.getBytes(StandardCharsets.UTF_8), type, "{}");
    }

    private static String refusal(String json, Class<?> type) {
        try {
            bind(json, type);
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted " + json);
    }

    @Test
    void bindsAResolutionAPersonMayChooseAndANote() {
        ResolveRequest request = bind("{\"resolution\":\" False_Positive \",\"note\":\"CI job\\nnightly\"}",
                ResolveRequest.class);
        assertThat(request.chosen()).isEqualTo(Resolution.FALSE_POSITIVE);
        assertThat(request.resolution()).isEqualTo("false_positive");
        assertThat(request.note()).isEqualTo("CI job\nnightly");
        // required-ness is the controller's: it says which resolutions there are
        assertThat(bind("{\"note\":\"n\"}", ResolveRequest.class).chosen()).isNull();
        assertThat(bind("{\"resolution\":null}", ResolveRequest.class).chosen()).isNull();
    }

    @Test
    void refusesWrongResolutionsNamingTheField() {
        assertThat(refusal("{\"resolution\":\"done\"}", ResolveRequest.class))
                .startsWith("resolution must be one of [false_positive,").contains("'done'");
        assertThat(refusal("{\"resolution\":\"auto_resolved\"}", ResolveRequest.class))
                .startsWith("resolution must be one of");
        assertThat(refusal("{\"resolution\":3}", ResolveRequest.class))
                .isEqualTo("resolution must be a string, got number");
        assertThat(refusal("{\"resolution\":\"fixed\\nEVIL\"}", ResolveRequest.class)).startsWith("resolution ");
        assertThat(refusal("{\"resolution\":\"" + "f".repeat(51) + "\"}", ResolveRequest.class))
                .startsWith("resolution ");
        assertThat(refusal("{\"resolution\":\"  \"}", ResolveRequest.class))
                .isEqualTo("resolution must not be blank");
    }

    @Test
    void refusesUnknownFieldsAndWrongNotes() {
        assertThat(refusal("{\"resolution\":\"fixed\",\"extra\":1}", ResolveRequest.class))
                .isEqualTo("unknown field, expected some of [note, resolution]");
        assertThat(refusal("{\"Note\":\"x\"}", AcknowledgeRequest.class))
                .isEqualTo("unknown field, expected some of [note]");
        assertThat(refusal("{\"note\":[\"x\"]}", AcknowledgeRequest.class)).isEqualTo("note must be a string, got array");
        assertThat(refusal("{\"resolution\":\"fixed\",\"note\":\"" + "n".repeat(AcknowledgeRequest.MAX_NOTE + 1) + "\"}",
                ResolveRequest.class)).startsWith("note ");
        assertThat(refusal("[\"note\"]", AcknowledgeRequest.class)).startsWith("request body must be a JSON object");
        assertThat(bind("{}", AcknowledgeRequest.class).note()).isNull();
        assertThat(bind("{\"note\":\" looking \"}", AcknowledgeRequest.class).note()).isEqualTo("looking");
    }

    @Test
    void aRefusedResolutionIsNeverEchoedUnbounded() {
        assertThatThrownBy(() -> bind("{\"resolution\":\"" + "x".repeat(10_000) + "\"}", ResolveRequest.class))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }
}
