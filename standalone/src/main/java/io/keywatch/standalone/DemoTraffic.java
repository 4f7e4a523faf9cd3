package io.keywatch.standalone;

import io.keywatch.events.KeyState;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import io.keywatch.simulator.SimulatorService;
import io.keywatch.simulator.SimulatorSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code --demo}: simulated keys registered in the registry, their traffic into the embedded broker with history
 * backfilled so that baselines are warm at once, and an incident about every minute, each announced on the console.
 */
final class DemoTraffic implements AutoCloseable {

    private static final String ACTOR = "demo";

    private final UsageEventPublisher publisher;
    private final SimulatorService simulator;

    private DemoTraffic(UsageEventPublisher publisher, SimulatorService simulator) {
        this.publisher = publisher;
        this.simulator = simulator;
    }

    static DemoTraffic start(Standalone keywatch, PrintStream out) {
        UsageEventPublisher publisher = new UsageEventPublisher(PublisherSettings.fromEnv(keywatch.serviceEnv()));
        SimulatorService simulator = new SimulatorService(SimulatorSettings.fromEnv(keywatch.serviceEnv()), publisher,
                Clock.systemUTC(), Duration.ofSeconds(30), incident -> out.println("demo: injected " + incident.describe()));
        try {
            register(keywatch, simulator);
            simulator.start();
        } catch (RuntimeException e) {
            simulator.close();
            publisher.close(Duration.ofSeconds(5));
            throw e;
        }
        return new DemoTraffic(publisher, simulator);
    }

    /**
     * Registers the simulated keys, as a team would before switching keywatch on. Keys revoked in an earlier run
     * (the data folder persists) stay revoked, and the simulator is told, so that their honest callers are refused
     * rather than reported as successful uses of a revoked key.
     */
    private static void register(Standalone keywatch, SimulatorService simulator) {
        for (KeyState entry : simulator.model().registry()) {
            keywatch.keyRegistry().register(entry.keyId(), entry.metadata(), ACTOR);
            keywatch.streams().keyState(entry.keyId())
                    .filter(KeyState::isRevoked)
                    .ifPresent(revoked -> simulator.simulator().markRevoked(entry.keyId(), Instant.EPOCH));
        }
    }

    @Override
    public void close() {
        simulator.close();
        publisher.close(Duration.ofSeconds(10));
    }
}
