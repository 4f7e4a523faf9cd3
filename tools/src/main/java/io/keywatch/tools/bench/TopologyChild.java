package io.keywatch.tools.bench;

import io.keywatch.tools.ToolsClassPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The million-key phase's topology JVM ({@link MillionKeysTopology}) with a fixed heap: its log goes to a file, its
 * protocol lines to the phase. {@code -XX:+ExitOnOutOfMemoryError}: a heap that does not fit ends the run, visibly.
 */
final class TopologyChild implements AutoCloseable {

    private final Process process;
    private final long startNanos;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final PrintWriter commands;
    private final Path log;
    private volatile long runningNanos = -1;
    private volatile int leftRunning;

    private TopologyChild(Process process, long startNanos, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static TopologyChild start(Map<String, String> env, int heapMb, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heapMb + "m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-cp");
        command.add(ToolsClassPath.get());
        command.add(MillionKeysTopology.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // only what the topology needs: the parent's own KEYWATCH_* settings are passed on by the phase, if at all
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYWATCH_"));
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        long startNanos = System.nanoTime();
        TopologyChild child = new TopologyChild(builder.start(), startNanos, log);
        Thread reader = new Thread(child::readOutput, "bench-million-child-output");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.write('\n');
                if (line.startsWith(MillionKeysTopology.PREFIX)) {
                    file.flush();
                    String reply = line.substring(MillionKeysTopology.PREFIX.length());
                    if (reply.startsWith("state ")) {
                        noteState(reply.split(" ")[1]);
                    } else if (!reply.startsWith("started ")) {
                        replies.add(reply);
                    }
                }
            }
        } catch (IOException e) {
            replies.add("error " + e);
        }
    }

    private void noteState(String state) {
        if ("RUNNING".equals(state)) {
            if (runningNanos < 0) {
                runningNanos = System.nanoTime();
            }
        } else if (runningNanos >= 0) {
            leftRunning++;
        }
    }

    /** Seconds from the JVM's start until the topology was first RUNNING. */
    double awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (runningNanos < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the topology JVM exited with " + process.exitValue()
                        + " before RUNNING (" + exitHint() + "); its log: " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topology did not reach RUNNING within " + timeout + "; its log: "
                        + log);
            }
            Thread.sleep(5);
        }
        return (runningNanos - startNanos) / 1e9;
    }

    /** How often the topology left RUNNING after it first reached it (rebalances, restarts of threads). */
    int rebalancesAfterRunning() {
        // the close's own PENDING_SHUTDOWN comes later
        return leftRunning;
    }

    MillionKeysReport.ChildFootprint footprint() throws InterruptedException {
        String reply = ask("footprint", Duration.ofMinutes(2));
        if (!reply.startsWith("footprint ")) {
            throw new IllegalStateException("unexpected reply from the topology JVM: " + reply);
        }
        return MillionKeysReport.ChildFootprint.parse(reply.substring("footprint ".length()));
    }

    /** Kills the JVM if it still runs (a phase that failed before {@link #stop()}): never left behind with its heap. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    void stop() throws InterruptedException {
        commands.println("stop");
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the topology JVM did not stop within 2 minutes; its log: " + log);
        }
    }

    private String ask(String command, Duration timeout) throws InterruptedException {
        commands.println(command);
        String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
            throw new IllegalStateException("the topology JVM did not answer '" + command + "' within " + timeout
                    + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ", " + exitHint() + ")")
                    + "; its log: " + log);
        }
        return reply;
    }

    private String exitHint() {
        return process.exitValue() == 3 ? "out of memory" : "see its log";
    }
}
