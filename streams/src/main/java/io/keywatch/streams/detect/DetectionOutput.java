package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.events.KeyScopeUsage;

/**
 * What the detection processor sends on: an alert (to the alerts topic), a key's changed scope usage (to the
 * key-scopes topic), or an event too late for its window (to the dead-letter topic, headers set). The valid path
 * usually sends nothing, so the wrapper costs only alerts, scope changes and late events.
 */
public sealed interface DetectionOutput permits DetectionOutput.Raised, DetectionOutput.ScopesUsed,
        DetectionOutput.Late {

    /** An alert for {@code keywatch.alerts}. */
    record Raised(Alert alert) implements DetectionOutput {
    }

    /** A key's whole scope usage for {@code keywatch.key-scopes}, sent when it changed. */
    record ScopesUsed(KeyScopeUsage usage) implements DetectionOutput {
    }

    /** A late event for {@code keywatch.usage-events.dlq}: the event as keywatch parsed it, re-serialized as JSON. */
    record Late(byte[] json) implements DetectionOutput {
    }
}
