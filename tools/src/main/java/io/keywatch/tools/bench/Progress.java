package io.keywatch.tools.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Progress lines on stderr, so that stdout keeps only the report. */
final class Progress {

    private final PrintStream err;
    private final long startNanos = System.nanoTime();

    Progress(PrintStream err) {
        this.err = err;
    }

    void say(String format, Object... args) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        err.printf(java.util.Locale.ROOT, "bench %s +%5.1fs  %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                elapsed, String.format(java.util.Locale.ROOT, format, args));
        err.flush();
    }
}
