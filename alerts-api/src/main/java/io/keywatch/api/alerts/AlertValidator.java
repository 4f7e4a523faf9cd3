package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import io.keywatch.events.KeyIds;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Checks a received alert cheaply before it costs a database transaction, for what PostgreSQL (or a person reading
 * the console) cannot take: NUL and other control characters, lone UTF-16 surrogates (they would be stored as
 * {@code ?}), absurd lengths, non-finite numbers, times outside what {@code timestamptz} stores, evidence nested or
 * sized beyond reason; the key id by the rule every part of keywatch applies ({@link KeyIds}). The
 * {@link FailureClassifier} stays the safety net for anything this misses.
 *
 * <p>Its messages become the dead-letter reason and a log line, so they never quote the value: they name the field,
 * the problem, the length and the index and code point of the offending character.
 */
public final class AlertValidator {

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_SUMMARY_LENGTH = 4_096;
    public static final int MAX_EVIDENCE_DEPTH = 16;
    /** Characters in all evidence strings and map keys together; the topology's evidence is a few hundred. */
    public static final int MAX_EVIDENCE_CHARS = 65_536;
    public static final int MAX_EVIDENCE_ENTRIES = 4_096;
    /** timestamptz reaches 4713 BC and 294276 AD; keywatch takes the years 1 to 9999 (what ISO-8601 prints plainly). */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** @throws InvalidAlertException saying which field is wrong and why */
    public Alert validate(Alert alert) {
        if (alert == null) {
            throw new InvalidAlertException("the record holds no alert (JSON null)");
        }
        text("id", alert.id(), MAX_ID_LENGTH, false);
        String keyIdProblem = KeyIds.problem(alert.keyId());
        if (keyIdProblem != null) {
            throw new InvalidAlertException("keyId " + keyIdProblem);
        }
        if (alert.summary() != null) {
            text("summary", alert.summary(), MAX_SUMMARY_LENGTH, true);
        }
        time("windowStart", alert.windowStart());
        time("windowEnd", alert.windowEnd());
        time("triggeredAt", alert.triggeredAt());
        time("detectedAt", alert.detectedAt());
        finite("observed", alert.observed());
        finite("threshold", alert.threshold());
        if (alert.baseline() != null) {
            finite("baseline", alert.baseline());
        }
        new EvidenceBudget().check(alert.evidence(), 1);
        return alert;
    }

    private static void text(String field, String value, int max, boolean multiline) {
        if (value.isEmpty()) {
            throw new InvalidAlertException(field + " is empty");
        }
        if (value.length() > max) {
            throw new InvalidAlertException(field + " is " + value.length() + " characters long, more than " + max);
        }
        String problem = characterProblem(value, multiline);
        if (problem != null) {
            throw new InvalidAlertException(field + " " + problem + " (length " + value.length() + ")");
        }
    }

    /** Null when every character may be stored and shown; otherwise what is wrong, with its position. */
    static String characterProblem(String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("holds a lone surrogate U+%04X at index %d", (int) c, i);
            } else if (c == 0) {
                return "holds a NUL character (U+0000) at index " + i;
            } else if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) {
                return String.format("holds control character U+%04X at index %d", (int) c, i);
            }
        }
        return null;
    }

    private static void time(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw new InvalidAlertException(field + " is outside the years 1 to 9999");
        }
    }

    private static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidAlertException(field + " is " + value + ", not a finite number");
        }
    }

    /** Walks the evidence once, counting what it has seen against the bounds. */
    private static final class EvidenceBudget {
        private int chars;
        private int entries;

        void check(Object value, int depth) {
            if (depth > MAX_EVIDENCE_DEPTH) {
                throw new InvalidAlertException("evidence is nested more than " + MAX_EVIDENCE_DEPTH + " levels deep");
            }
            if (++entries > MAX_EVIDENCE_ENTRIES) {
                throw new InvalidAlertException("evidence has more than " + MAX_EVIDENCE_ENTRIES + " values");
            }
            if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    string(String.valueOf(entry.getKey()));
                    check(entry.getValue(), depth + 1);
                }
            } else if (value instanceof Collection<?> list) {
                for (Object item : list) {
                    check(item, depth + 1);
                }
            } else if (value instanceof String text) {
                string(text);
            } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
                throw new InvalidAlertException("evidence holds a non-finite number");
            }
        }

        private void string(String text) {
            chars += text.length();
            if (chars > MAX_EVIDENCE_CHARS) {
                throw new InvalidAlertException("evidence holds more than " + MAX_EVIDENCE_CHARS + " characters of text");
            }
            String problem = characterProblem(text, true);
            if (problem != null) {
                throw new InvalidAlertException("evidence text " + problem + " (length " + text.length() + ")");
            }
        }
    }
}
