package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoringStoresTest {

    private final RestoringStores restoring = new RestoringStores();
    private final TopicPartition p0 = new TopicPartition("usage-changelog", 0);
    private final TopicPartition p1 = new TopicPartition("usage-changelog", 1);

    @Test
    void countsTheStoresBetweenTheStartAndTheEndOrSuspensionOfTheirRestoration() {
        assertThat(restoring.count()).isZero();

        restoring.onRestoreStart(p0, "usage", 0, 100);
        restoring.onRestoreStart(p1, "usage", 0, 100);
        restoring.onBatchRestored(p0, "usage", 50, 50);
        assertThat(restoring.count()).isEqualTo(2);

        restoring.onRestoreEnd(p0, "usage", 100);
        assertThat(restoring.count()).isEqualTo(1);

        restoring.onRestoreSuspended(p1, "usage", 10);
        assertThat(restoring.count()).isZero();
    }
}
