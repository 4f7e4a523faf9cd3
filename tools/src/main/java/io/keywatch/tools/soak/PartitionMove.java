package io.keywatch.tools.soak;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one SIGKILL of a streams instance did to the group's assignment of the usage-events topic.
 *
 * @param kill            the kill's number, from 1
 * @param killed          the instance killed
 * @param restarted       whether it was started again
 * @param before          partition to instance, just before the kill
 * @param after           partition to instance, once the group settled (or when waiting gave up)
 * @param killedPartitions the partitions the killed instance held before
 * @param takenBy         each of those partitions to the instance that holds it after
 * @param settled         whether the group settled (stable, every partition held, only live instances)
 * @param secondsToSettle from the kill to the settled assignment (or to giving up)
 * @param problem         what is wrong, or null
 */
public record PartitionMove(int kill, String killed, boolean restarted, Map<Integer, String> before, Map<Integer, String> after,
                     Set<Integer> killedPartitions, Map<Integer, String> takenBy, boolean settled,
                     double secondsToSettle, String problem) {

    static PartitionMove of(int kill, String killed, boolean restarted, GroupAssignment before, GroupAssignment after,
                            boolean settled, double seconds, int partitions) {
        Map<Integer, String> ownersBefore = before.owners();
        Map<Integer, String> ownersAfter = after.owners();
        Set<Integer> killedPartitions = new TreeSet<>();
        ownersBefore.forEach((p, instance) -> {
            if (instance.equals(killed)) {
                killedPartitions.add(p);
            }
        });
        Map<Integer, String> takenBy = new TreeMap<>();
        killedPartitions.forEach(p -> takenBy.put(p, ownersAfter.getOrDefault(p, "nobody")));
        String problem = null;
        if (!settled) {
            problem = "kill " + kill + " (" + killed + "): the streams group did not settle within "
                    + Math.round(seconds) + " s (state " + after.state() + ", instances " + after.instances()
                    + ", " + ownersAfter.size() + " of " + partitions + " partitions held)";
        } else if (ownersBefore.size() != partitions) {
            problem = "kill " + kill + " (" + killed + "): before the kill only " + ownersBefore.size() + " of "
                    + partitions + " partitions were held";
        } else if (killedPartitions.isEmpty() && before.instances().size() <= partitions) {
            problem = "kill " + kill + " (" + killed + "): the killed instance held no partition before the kill";
        } else if (!restarted && takenBy.containsValue(killed)) {
            problem = "kill " + kill + " (" + killed + "): a dead instance still holds partitions " + takenBy;
        } else if (takenBy.containsValue("nobody")) {
            problem = "kill " + kill + " (" + killed + "): partitions nobody took: " + takenBy;
        }
        return new PartitionMove(kill, killed, restarted, ownersBefore, ownersAfter, killedPartitions, takenBy,
                settled, Math.round(seconds * 10) / 10.0, problem);
    }

    List<String> problems() {
        return problem == null ? List.of() : List.of(problem);
    }
}
