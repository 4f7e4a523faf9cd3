package io.keywatch.simulator;

import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Generates a period of traffic in event time, as fast as the sink takes it: to backfill history so that per-key
 * baselines are warm before real time starts, and for reproducible backtests.
 */
public final class TrafficGenerator {

    private final TrafficModel model;

    public TrafficGenerator(TrafficModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Emits every ordinary event in {@code [from, to)} to {@code sink}, in time order; returns how many. */
    public long generate(Instant from, Instant to, EventSink sink) {
        return generate(from, to, List.of(), sink).events();
    }

    /**
     * Emits every ordinary event in {@code [from, to)} plus the given incidents' events, merged in time order.
     *
     * @throws IllegalArgumentException if an incident does not lie within {@code [from, to)}
     */
    public GeneratedTraffic generate(Instant from, Instant to, List<IncidentPlan> incidents, EventSink sink) {
        return generate(from, to, incidents, Map.of(), sink);
    }

    /**
     * Like {@link #generate(Instant, Instant, List, EventSink)}, with some keys revoked: from its time in
     * {@code revokedSince}, a key's ordinary requests are rejected by the service (REVOKED, 401), as its owner's
     * forgotten clients keep calling. Incidents are not affected.
     */
    public GeneratedTraffic generate(Instant from, Instant to, List<IncidentPlan> incidents,
                                     Map<String, Instant> revokedSince, EventSink sink) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(revokedSince, "revokedSince");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(sink, "sink");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("'to' (" + to + ") is before 'from' (" + from + ")");
        }
        List<Incident> injected = new ArrayList<>();
        List<UsageEvent> incidentEvents = new ArrayList<>();
        for (IncidentPlan plan : incidents) {
            if (plan.start().isBefore(from) || plan.end().isAfter(to)) {
                throw new IllegalArgumentException("incident " + plan.kind() + " on " + plan.keyId() + " ("
                        + plan.start() + " to " + plan.end() + ") is not within " + from + " to " + to);
            }
            IncidentTraffic traffic = IncidentFactory.create(plan, model.profileOf(plan.keyId()), model.settings().seed());
            injected.add(traffic.incident());
            incidentEvents.addAll(traffic.events());
        }
        incidentEvents.sort(TrafficModel.BY_TIME);

        long emitted = 0;
        int nextIncidentEvent = 0;
        for (Instant second = Instant.ofEpochSecond(from.getEpochSecond()); second.isBefore(to);
             second = second.plusSeconds(1)) {
            Instant secondEnd = second.plusSeconds(1);
            for (UsageEvent event : model.secondOfTraffic(second, revokedSince)) {
                if (event.timestamp().isBefore(from) || !event.timestamp().isBefore(to)) {
                    continue; // the first and last seconds may be partial
                }
                // incident events that come before this one go first, so the whole stream stays in time order
                while (nextIncidentEvent < incidentEvents.size()
                        && incidentEvents.get(nextIncidentEvent).timestamp().isBefore(event.timestamp())) {
                    sink.accept(incidentEvents.get(nextIncidentEvent++));
                    emitted++;
                }
                sink.accept(event);
                emitted++;
            }
            while (nextIncidentEvent < incidentEvents.size()
                    && incidentEvents.get(nextIncidentEvent).timestamp().isBefore(secondEnd)) {
                sink.accept(incidentEvents.get(nextIncidentEvent++));
                emitted++;
            }
        }
        return new GeneratedTraffic(emitted, injected);
    }
}
