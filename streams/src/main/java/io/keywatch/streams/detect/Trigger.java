package io.keywatch.streams.detect;

/** When a rule runs, and so what it can read. */
public enum Trigger {
    /** Each usage event of the key: reads the event, the key's minute so far, its registry entry and its profile. */
    EVENT("each usage event"),
    /** Once, when a key's minute opens after earlier ones: reads the key's profile as the silence left it. */
    MINUTE_OPEN("the key's first event in a minute"),
    /** The periodic hygiene scan of the registry ({@code hygiene.scanMinutes}): reads a registry entry and profile. */
    HYGIENE_SCAN("the hygiene scan of the registry"),
    /** Raised by the API, not by the topology: declared here so that the rule tables are complete. */
    API("raised by the API");

    private final String text;

    Trigger(String text) {
        this.text = text;
    }

    /** How the rule tables describe it. */
    public String text() {
        return text;
    }
}
