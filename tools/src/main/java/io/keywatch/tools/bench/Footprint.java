package io.keywatch.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Phase 5: heap after a GC, the process's resident set, and the topology's state on disk. */
final class Footprint {

    private Footprint() {
    }

    static BenchReport.Footprint measure(Path stateDir, int keys) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long stateBytes = sizeOf(stateDir);
        return new BenchReport.Footprint(heap / 1048576.0, rssKiB() / 1024.0, stateBytes / 1048576.0,
                keys == 0 ? 0 : (double) stateBytes / keys, keys);
    }

    /** VmRSS from /proc/self/status, in KiB; -1 where there is no /proc. */
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // RocksDB removes files while we walk
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
