package io.keywatch.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The end-to-end tests' keywatch: everything embedded on free ports in the test's folder, started and RUNNING. */
final class RunningStandalone {

    private RunningStandalone() {
    }

    /** Starts it with {@code env}, waits (90 s at most) until the topology runs; stops it again if it does not. */
    static Standalone start(Path dataDir, Map<String, String> env) throws InterruptedException {
        Standalone keywatch = Standalone.start(new StandaloneSettings(dataDir, 0, 0, 0, 0), env);
        if (!keywatch.streams().awaitRunning(Duration.ofSeconds(90))) {
            keywatch.close();
            throw new IllegalStateException("the topology did not reach RUNNING within 90 s");
        }
        return keywatch;
    }
}
