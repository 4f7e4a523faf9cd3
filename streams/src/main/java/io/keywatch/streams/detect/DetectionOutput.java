package io.keywatch.streams.detect;

import io.keywatch.events.Alert;

/**
 * What the detection processor sends on: an alert (to the alerts topic), or an event too late for its window (to the
 * dead-letter topic, headers set). The valid path sends nothing, so the wrapper costs only alerts and late events.
 */
public sealed interface DetectionOutput permits DetectionOutput.Raised, DetectionOutput.Late {

    /** An alert for {@code keywatch.alerts}. */
    record Raised(Alert alert) implements DetectionOutput {
    }

    /** A late event for {@code keywatch.usage-events.dlq}: the event as keywatch parsed it, re-serialized as JSON. */
    record Late(byte[] json) implements DetectionOutput {
    }
}
