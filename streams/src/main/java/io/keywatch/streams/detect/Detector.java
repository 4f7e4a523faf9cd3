package io.keywatch.streams.detect;

/**
 * A detection rule. Every rule implements one of the two kinds below and is listed once in {@link Detectors#all()};
 * its {@link #declaration()} says when it runs, what it reads, how it is de-duplicated and which settings it has.
 */
public interface Detector {

    RuleDeclaration declaration();

    /**
     * A rule that runs on usage events ({@link Trigger#EVENT}, {@link Trigger#MINUTE_OPEN}). It judges; the processor
     * applies the switch and the declared de-duplication, and only then builds the finding.
     */
    interface OnEvent extends Detector {
        /** What the event's minute now warrants, or null for nothing. Runs on every event: keep it cheap. */
        Verdict evaluate(EventContext context);
    }

    /** A rule of the hygiene scan ({@link Trigger#HYGIENE_SCAN}): one registered, active, unexpired key at a time. */
    interface OnScan extends Detector {
        /** What the key's registry entry (and profile) show now, or null; the scan keeps it to once a day. */
        Finding evaluate(ScanContext context);
    }
}
