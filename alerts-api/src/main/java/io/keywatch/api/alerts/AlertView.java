package io.keywatch.api.alerts;

import io.keywatch.api.input.InputText;
import java.util.Locale;

/**
 * How much of each alert a list carries ({@code view=}, as Google's API guidelines' AIP-157 "views"): a fixed
 * shape per view, which the store can select in SQL, rather than any subset of fields.
 */
public enum AlertView {
    /** Every field of {@link StoredAlert}: the default. */
    FULL("full"),
    /** {@link AlertSummary}: no evidence, measurements, windows or triage details. */
    SUMMARY("summary");

    private final String wireName;

    AlertView(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** {@code full} or {@code summary}, case-insensitive; otherwise an {@link IllegalArgumentException} saying so. */
    public static AlertView parse(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        for (AlertView view : values()) {
            if (view.wireName.equals(name)) {
                return view;
            }
        }
        throw new IllegalArgumentException("must be full or summary, got " + InputText.quote(value));
    }
}
