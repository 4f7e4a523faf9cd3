package io.keywatch.simulator;

import java.util.List;

/** What one {@link TrafficGenerator#generate} call emitted: the number of events, incidents included. */
public record GeneratedTraffic(long events, List<Incident> incidents) {

    public GeneratedTraffic {
        incidents = List.copyOf(incidents);
    }
}
