package io.keywatch.tools.soak;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Who in a consumer group holds which partitions of one topic, as the group coordinator tells it
 * ({@code Admin.describeConsumerGroups}). Each soak child sets its client id to its instance name, so a member is
 * known by the instance it runs in (a Kafka Streams consumer's client id is {@code <client.id>-StreamThread-n-consumer}).
 *
 * @param state   the group's state ({@code Stable}, {@code PreparingRebalance}, ...)
 * @param members every member, with the topic's partitions it holds
 */
record GroupAssignment(String state, List<Member> members) {

    /** One member: its id (new on every join), the instance it runs in, and its partitions of the topic. */
    record Member(String memberId, String instance, Set<Integer> partitions) {
    }

    static GroupAssignment describe(Admin admin, String group, String topic)
            throws ExecutionException, InterruptedException {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        List<Member> members = new ArrayList<>();
        for (MemberDescription member : description.members()) {
            Set<Integer> partitions = new TreeSet<>();
            for (TopicPartition tp : member.assignment().topicPartitions()) {
                if (tp.topic().equals(topic)) {
                    partitions.add(tp.partition());
                }
            }
            members.add(new Member(member.consumerId(), instanceOf(member.clientId()), partitions));
        }
        return new GroupAssignment(String.valueOf(description.groupState()), members);
    }

    /** The instance name in a client id: what comes before {@code -StreamThread-}, else the whole id. */
    static String instanceOf(String clientId) {
        int at = clientId.indexOf("-StreamThread-");
        return at < 0 ? clientId : clientId.substring(0, at);
    }

    /** Partition to the instance holding it. */
    Map<Integer, String> owners() {
        Map<Integer, String> owners = new TreeMap<>();
        members.forEach(m -> m.partitions().forEach(p -> owners.put(p, m.instance())));
        return owners;
    }

    Set<String> instances() {
        Set<String> instances = new TreeSet<>();
        members.forEach(m -> instances.add(m.instance()));
        return instances;
    }

    Set<String> memberIdsOf(String instance) {
        Set<String> ids = new TreeSet<>();
        members.stream().filter(m -> m.instance().equals(instance)).forEach(m -> ids.add(m.memberId()));
        return ids;
    }

    /**
     * Settled after a kill: stable, every partition held, exactly the live instances in the group, and none of the
     * killed instance's old members left (a restarted instance joins as a new member).
     */
    boolean settled(int partitions, Set<String> liveInstances, Collection<String> goneMemberIds) {
        return "Stable".equalsIgnoreCase(state)
                && owners().size() == partitions
                && instances().equals(new TreeSet<>(liveInstances))
                && members.stream().noneMatch(m -> goneMemberIds.contains(m.memberId()));
    }
}
