package io.keywatch.standalone.dlq;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which dead letters a command works on: all, those of one reason code, or those from given origins; optionally only
 * those dead-lettered at or after an instant.
 */
public record DeadLetterSelection(Optional<String> reasonCode, Set<Origin> origins, Optional<Instant> since)
        implements Predicate<DeadLetterRecord> {

    public static final DeadLetterSelection ALL = new DeadLetterSelection(Optional.empty(), Set.of(), Optional.empty());

    public DeadLetterSelection {
        origins = Set.copyOf(origins);
    }

    @Override
    public boolean test(DeadLetterRecord record) {
        if (reasonCode.isPresent() && !reasonCode.get().equals(record.reasonCode())) {
            return false;
        }
        if (!origins.isEmpty() && record.origin().filter(origins::contains).isEmpty()) {
            return false;
        }
        return since.isEmpty() || !record.timestamp().isBefore(since.get());
    }
}
