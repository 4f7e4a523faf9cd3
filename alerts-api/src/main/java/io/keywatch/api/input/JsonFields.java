package io.keywatch.api.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputText.Kind;
import java.util.Locale;

/**
 * The checks a request body's record runs on its fields in its compact constructor ({@code http.JsonBodies.bind}),
 * each by {@link InputText}: a wrong one is an {@link InvalidInputException} (a 400 at the edge) naming it. No HTTP
 * here, so that the domain's records and parsers (e.g. {@code KeyMetadataParser}) can use it.
 */
public final class JsonFields {

    private static final int MAX_INSTANT_LENGTH = 64;

    private JsonFields() {
    }

    /**
     * A string field of a record bound by {@code http.JsonBodies.bind}, checked in its compact constructor: null
     * stays null (absent or JSON null); otherwise stripped, not blank, single line, at most {@code maxLength}.
     */
    public static String checkedText(String field, String value, int maxLength) {
        return checked(field, value, Kind.SINGLE_LINE, maxLength);
    }

    /** {@link #checkedText} for free text (a note, a reason): line breaks and tabs allowed. */
    public static String checkedFreeText(String field, String value, int maxLength) {
        return checked(field, value, Kind.MULTI_LINE, maxLength);
    }

    /**
     * An ISO-8601 instant field of a bound record ({@code 2026-11-27T19:00:00Z}; another offset is accepted too),
     * checked as text and as an instant between 1970 and 9999 ({@link InputInstants}); null stays null.
     */
    public static String checkedInstant(String field, String value) {
        String text = checkedText(field, value, MAX_INSTANT_LENGTH);
        if (text != null) {
            InputInstants.require(field, text);
        }
        return text;
    }

    /** {@code value}, or a 400 saying that {@code field} is required when it is null. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidInputException(field + " is required");
        }
        return value;
    }

    private static String checked(String field, String value, Kind kind, int maxLength) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.isEmpty()) {
            throw new InvalidInputException(field + " must not be blank");
        }
        return InputText.require(field, text, kind, maxLength);
    }

    /** The JSON type of a node, for messages that must not echo a (possibly huge) value. */
    public static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

}
