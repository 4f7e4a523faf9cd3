package io.keywatch.tools.bench;

import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.StreamsSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The million-key phase's child JVM: keywatch's topology alone (configured from the environment, as the streams
 * service is), started with a fixed heap, so that the heap it reports is the topology's and nothing else's (the
 * broker and the load run in the parent). It prints each state change and, when asked on stdin, its heap after a
 * full GC; lines of the protocol start with {@value #PREFIX}, everything else on stdout is the service's log.
 *
 * <p>Commands on stdin: {@code footprint} (heap after a full GC, the largest old generation seen after a
 * collection, collection time, resident set) and {@code stop} (a clean close, then exit).
 */
public final class MillionKeysTopology {

    static final String PREFIX = "MILLION ";

    private MillionKeysTopology() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        StreamsSettings settings = StreamsSettings.fromEnv(System.getenv());
        long started = System.currentTimeMillis();
        KeywatchStreamsService service = new KeywatchStreamsService(settings);
        service.start();
        Thread watcher = new Thread(() -> watchState(service, out), "million-state-watcher");
        watcher.setDaemon(true);
        watcher.start();
        out.println(PREFIX + "started " + started);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.strip()) {
                case "footprint" -> out.println(PREFIX + "footprint " + footprint());
                case "stop" -> {
                    service.close();
                    out.println(PREFIX + "stopped " + System.currentTimeMillis());
                    System.exit(0);
                }
                default -> out.println(PREFIX + "unknown-command");
            }
        }
        // the parent went away: stop cleanly rather than linger
        service.close();
        System.exit(0);
    }

    /** Prints every state change with its wall-clock time (the service keeps Kafka Streams' own listener). */
    private static void watchState(KeywatchStreamsService service, PrintStream out) {
        KafkaStreams.State last = null;
        while (true) {
            KafkaStreams.State now = service.state();
            if (now != last) {
                out.println(PREFIX + "state " + now + " " + System.currentTimeMillis());
                last = now;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * {@code heapAfterGcMiB maxOldAfterGcMiB heapMaxMiB gcSeconds uptimeSeconds rssMiB}: the old generation's usage
     * after its last collection is the live set then; the largest seen is kept by polling it at each command only, so
     * the parent asks after the fill and at the end.
     */
    static String footprint() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long oldAfterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                oldAfterGc += afterGc.getUsed();
            }
        }
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        return String.format(Locale.ROOT, "%.1f %.1f %.1f %.2f %.1f %.1f", heap.getUsed() / 1048576.0,
                oldAfterGc / 1048576.0, heap.getMax() / 1048576.0, gcMillis / 1000.0, uptime,
                Footprint.rssKiB() / 1024.0);
    }
}
