package io.keywatch.standalone;

import io.keywatch.api.AlertsApiMain;
import io.keywatch.simulator.SimulatorMain;
import io.keywatch.standalone.health.StreamsAlone;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * One service alone against an external Kafka and PostgreSQL, configured by {@code KEYWATCH_*} environment
 * variables: how docker-compose and a multi-machine deployment run keywatch.
 */
final class ServiceCommands {

    private ServiceCommands() {
    }

    @Command(name = "streams", mixinStandardHelpOptions = true,
            description = "Run the detection topology alone (KEYWATCH_KAFKA_BOOTSTRAP, KEYWATCH_STREAMS_*), with the "
                    + "health routes on KEYWATCH_STREAMS_HEALTH_PORT (8081).")
    static final class Streams implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return StreamsAlone.run(System.getenv());
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true,
            description = "Run the alerts API alone (KEYWATCH_KAFKA_BOOTSTRAP, KEYWATCH_DB_*, KEYWATCH_ADMIN_TOKEN).")
    static final class Api implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            AlertsApiMain.main(new String[0]);
            return 0;
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Run the traffic simulator alone against KEYWATCH_KAFKA_BOOTSTRAP (KEYWATCH_SIM_*).")
    static final class Simulate implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            SimulatorMain.main(new String[0]);
            return 0;
        }
    }
}
