package io.keywatch.tools.soak;

import io.keywatch.standalone.KeywatchCli;
import io.keywatch.tools.ToolsClassPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One keywatch service ({@code streams} or {@code api}) as a child JVM, run exactly as a deployment runs it
 * ({@code java -cp keywatch.jar ... streams}), so that it can be killed with SIGKILL and started again. Its output is
 * appended to a log file per service.
 */
final class ChildService implements AutoCloseable {

    private final String service;
    private final String name;
    private final int heapMb;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int starts;
    private int kills;

    ChildService(String service, Map<String, String> env, Path log) {
        this(service, service, env, log, 384);
    }

    /** One of several instances of {@code service}, called {@code name} in messages, with a heap of its own size. */
    ChildService(String service, String name, Map<String, String> env, Path log, int heapMb) {
        this.service = service;
        this.name = name;
        this.heapMb = heapMb;
        this.env = Map.copyOf(env);
        this.log = log;
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heapMb + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(classPath());
        command.add(KeywatchCli.class.getName());
        command.add(service);
        ProcessBuilder builder = new ProcessBuilder(command);
        // only what the service needs: the parent's own KEYWATCH_* settings must not leak into the children
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYWATCH_"));
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        starts++;
    }

    /** SIGKILL (on Linux and macOS {@code destroyForcibly} sends it): no shutdown hook, no clean close. */
    synchronized void kill() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
        }
        kills++;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized int starts() {
        return starts;
    }

    synchronized int kills() {
        return kills;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** A clean stop: SIGTERM (the service's shutdown hook closes it), then SIGKILL after 30 s. */
    synchronized void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A clean stop at the end of the run. */
    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** See {@link ToolsClassPath#get()}. */
    static String classPath() {
        return ToolsClassPath.get();
    }
}
