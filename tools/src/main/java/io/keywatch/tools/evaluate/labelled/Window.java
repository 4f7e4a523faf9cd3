package io.keywatch.tools.evaluate.labelled;

import java.time.Instant;
import java.util.Objects;

/** A labelled anomaly window of a series: the period in which a detector should raise an alert. */
public record Window(Instant start, Instant end) {

    public Window {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("a window ends after it starts: " + start + " .. " + end);
        }
    }
}
