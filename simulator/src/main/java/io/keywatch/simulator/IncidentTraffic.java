package io.keywatch.simulator;

import io.keywatch.events.UsageEvent;
import java.util.List;

/** An incident's events, in time order, and the description of what they are. */
public record IncidentTraffic(Incident incident, List<UsageEvent> events) {

    public IncidentTraffic {
        events = List.copyOf(events);
    }
}
