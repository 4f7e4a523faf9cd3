package io.keywatch.streams;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Which state stores Kafka Streams is restoring from their changelogs right now, for readiness: with the state
 * updater an instance reports RUNNING while its tasks still restore, and detection on those partitions only starts
 * once they are restored. Called by Kafka Streams' threads, read by any.
 */
final class RestoringStores implements StateRestoreListener {

    private record Restoration(TopicPartition changelog, String store) {
    }

    private final Set<Restoration> inProgress = ConcurrentHashMap.newKeySet();

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        inProgress.add(new Restoration(changelog, store));
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long restored) {
        // progress only: the count changes at start and end
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        inProgress.remove(new Restoration(changelog, store));
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        // the task moved away (or was closed) before it finished restoring here
        inProgress.remove(new Restoration(changelog, store));
    }

    int count() {
        return inProgress.size();
    }
}
