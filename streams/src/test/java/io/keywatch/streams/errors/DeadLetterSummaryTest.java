package io.keywatch.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.RejectCode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadLetterSummaryTest {

    @Test
    void aLineOnlyWhenTheCountsChanged() {
        DeadLetterCounts counts = new DeadLetterCounts();
        AtomicLong skips = new AtomicLong();
        DeadLetterSummary summary = new DeadLetterSummary(counts, skips::get);
        assertThat(summary.changed()).isNull();

        counts.increment(RejectCode.PROCESSING_ERROR);
        skips.incrementAndGet();
        assertThat(summary.changed()).contains("processing-error=1").contains("key-state records skipped: 1");
        assertThat(summary.changed()).isNull();

        skips.incrementAndGet();
        assertThat(summary.changed()).contains("skipped: 2");
    }
}
