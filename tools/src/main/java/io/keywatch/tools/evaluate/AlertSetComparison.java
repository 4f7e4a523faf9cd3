package io.keywatch.tools.evaluate;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Compares two runs' alerts as sets of {@link Key}s: (id, rule, keyId, windowStart, highest severity). Left out on
 * purpose: {@code detectedAt} (the wall clock: event time in a backtest, now in a live run), and how often an id was
 * emitted (an alert that escalates within its window, HIGH then CRITICAL, is emitted twice under one id; what
 * counts is the highest severity it reached). {@code triggeredAt} and the evidence are not compared either: the
 * hygiene scan stamps its alerts with the stream time of the punctuation, which live depends on how records are
 * batched; the id already pins rule, key and window.
 */
public final class AlertSetComparison {

    /** What must be equal between the two runs for one alert. */
    public record Key(String id, AlertRule rule, String keyId, Instant windowStart, Severity severity) {

        @Override
        public String toString() {
            return rule + " " + severity + " on " + keyId + " in window " + windowStart + " (id " + id + ")";
        }
    }

    private final int expectedCount;
    private final int actualCount;
    private final List<Key> onlyExpected;
    private final List<Key> onlyActual;
    private final List<Key[]> differing;
    private final List<Key> toleratedOnlyExpected;
    private final List<Key> toleratedOnlyActual;

    private AlertSetComparison(int expectedCount, int actualCount, List<Key> onlyExpected, List<Key> onlyActual,
                               List<Key[]> differing, List<Key> toleratedOnlyExpected, List<Key> toleratedOnlyActual) {
        this.expectedCount = expectedCount;
        this.actualCount = actualCount;
        this.onlyExpected = onlyExpected;
        this.onlyActual = onlyActual;
        this.differing = differing;
        this.toleratedOnlyExpected = toleratedOnlyExpected;
        this.toleratedOnlyActual = toleratedOnlyActual;
    }

    /** Compares {@code expected} (e.g. the backtest's alerts) with {@code actual} (the live run's). */
    public static AlertSetComparison compare(List<Alert> expected, List<Alert> actual) {
        return compare(expected, actual, alert -> false);
    }

    /**
     * Compares {@code expected} with {@code actual}; an alert that only one side raised and that {@code tolerated}
     * accepts is listed apart ({@link #toleratedOnlyExpected()}, {@link #toleratedOnlyActual()}) and does not make
     * the sets unequal. Keep the predicate narrow: it is for a difference whose cause is known and reported.
     */
    public static AlertSetComparison compare(List<Alert> expected, List<Alert> actual, Predicate<Alert> tolerated) {
        Map<String, Alert> left = highest(expected);
        Map<String, Alert> right = highest(actual);
        List<Key> onlyLeft = new ArrayList<>();
        List<Key> onlyRight = new ArrayList<>();
        List<Key> toleratedLeft = new ArrayList<>();
        List<Key> toleratedRight = new ArrayList<>();
        List<Key[]> differing = new ArrayList<>();
        left.forEach((id, alert) -> {
            Alert other = right.get(id);
            if (other == null) {
                (tolerated.test(alert) ? toleratedLeft : onlyLeft).add(key(alert));
            } else if (!key(other).equals(key(alert))) {
                differing.add(new Key[] {key(alert), key(other)});
            }
        });
        right.forEach((id, alert) -> {
            if (!left.containsKey(id)) {
                (tolerated.test(alert) ? toleratedRight : onlyRight).add(key(alert));
            }
        });
        Comparator<Key> order = Comparator.comparing(Key::windowStart).thenComparing(Key::id);
        onlyLeft.sort(order);
        onlyRight.sort(order);
        toleratedLeft.sort(order);
        toleratedRight.sort(order);
        return new AlertSetComparison(left.size(), right.size(), List.copyOf(onlyLeft), List.copyOf(onlyRight),
                List.copyOf(differing), List.copyOf(toleratedLeft), List.copyOf(toleratedRight));
    }

    private static Key key(Alert alert) {
        return new Key(alert.id(), alert.rule(), alert.keyId(), alert.windowStart(), alert.severity());
    }

    /** Each id's emission with the highest severity (the first of equals). */
    static Map<String, Alert> highest(List<Alert> alerts) {
        Map<String, Alert> byId = new TreeMap<>();
        for (Alert alert : alerts) {
            Objects.requireNonNull(alert, "alert");
            byId.merge(alert.id(), alert, (a, b) -> a.severity().compareTo(b.severity()) >= 0 ? a : b);
        }
        return byId;
    }

    /** True when the sets are equal but for tolerated differences. */
    public boolean equal() {
        return onlyExpected.isEmpty() && onlyActual.isEmpty() && differing.isEmpty();
    }

    /** True when the sets are equal, tolerated differences included. */
    public boolean identical() {
        return equal() && toleratedOnlyExpected.isEmpty() && toleratedOnlyActual.isEmpty();
    }

    public List<Key> toleratedOnlyExpected() {
        return toleratedOnlyExpected;
    }

    public List<Key> toleratedOnlyActual() {
        return toleratedOnlyActual;
    }

    /** Distinct alerts of the expected side. */
    public int expectedCount() {
        return expectedCount;
    }

    /** Distinct alerts of the actual side. */
    public int actualCount() {
        return actualCount;
    }

    public List<Key> onlyExpected() {
        return onlyExpected;
    }

    public List<Key> onlyActual() {
        return onlyActual;
    }

    /** Pairs (expected, actual) with the same id that differ in rule, key, window or highest severity. */
    public List<Key[]> differing() {
        return differing;
    }

    /** The differences that count, in words, one per line; empty when equal. */
    public List<String> describe(String expectedName, String actualName) {
        List<String> lines = new ArrayList<>();
        onlyExpected.forEach(k -> lines.add("only in " + expectedName + ": " + k));
        onlyActual.forEach(k -> lines.add("only in " + actualName + ": " + k));
        differing.forEach(pair -> lines.add("differs: " + expectedName + " " + pair[0] + " / " + actualName + " "
                + pair[1]));
        return lines;
    }

    /** The tolerated differences in words, one per line. */
    public List<String> describeTolerated(String expectedName, String actualName) {
        List<String> lines = new ArrayList<>();
        toleratedOnlyExpected.forEach(k -> lines.add("only in " + expectedName + ": " + k));
        toleratedOnlyActual.forEach(k -> lines.add("only in " + actualName + ": " + k));
        return lines;
    }
}
