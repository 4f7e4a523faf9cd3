package io.keywatch.standalone;

import io.keywatch.ingest.PublisherSettings;
import io.keywatch.ingest.UsageEventPublisher;
import io.keywatch.ingest.simulator.SimulatorService;
import io.keywatch.ingest.simulator.SimulatorSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code --demo}: simulated traffic into the embedded broker, with history backfilled so that baselines are warm
 * at once, and an incident about every minute, each announced on the console.
 */
final class DemoTraffic implements AutoCloseable {

    private final UsageEventPublisher publisher;
    private final SimulatorService simulator;

    private DemoTraffic(UsageEventPublisher publisher, SimulatorService simulator) {
        this.publisher = publisher;
        this.simulator = simulator;
    }

    static DemoTraffic start(Map<String, String> env, PrintStream out) {
        UsageEventPublisher publisher = new UsageEventPublisher(PublisherSettings.fromEnv(env));
        SimulatorService simulator = new SimulatorService(SimulatorSettings.fromEnv(env), publisher, Clock.systemUTC(),
                Duration.ofSeconds(30), incident -> out.println("demo: injected " + incident.describe()));
        try {
            simulator.start();
        } catch (RuntimeException e) {
            simulator.close();
            publisher.close(Duration.ofSeconds(5));
            throw e;
        }
        return new DemoTraffic(publisher, simulator);
    }

    @Override
    public void close() {
        simulator.close();
        publisher.close(Duration.ofSeconds(10));
    }
}
