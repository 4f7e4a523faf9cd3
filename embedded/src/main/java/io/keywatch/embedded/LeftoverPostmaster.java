package io.keywatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an earlier run left in a PostgreSQL data folder when it did not shut down cleanly (kill -9, a crash, a power
 * cut): the embedded server runs as a separate process, so it outlives the JVM that started it, and its
 * {@code postmaster.pid} stays behind. Started again on that folder, the new server would either fail (the lock file
 * names a live process) or, on the same port, the old one would be silently reused with whatever settings it had.
 *
 * <p>{@link #clear} makes the folder safe to start on: a postmaster that really is a PostgreSQL server on this very
 * folder (its executable is {@code postgres} and its working directory, or its {@code -D} argument, is the folder)
 * is stopped with a fast shutdown (SIGINT: what {@code pg_ctl stop -m fast} sends; clients are disconnected, work
 * is checkpointed) and waited for; a lock file that names a dead process, or a process that is not such a server
 * (the pid was reused), is removed. Never a SIGKILL: a server that does not stop is reported, not killed.
 */
final class LeftoverPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);
    static final String PID_FILE = "postmaster.pid";

    /** What was found, and what was done about it. */
    enum Action {
        /** No lock file: the last run shut down cleanly, or the folder is new. */
        NONE,
        /** A lock file naming no running PostgreSQL on this folder: removed. */
        REMOVED_STALE_LOCK_FILE,
        /** A PostgreSQL server left running on this folder: stopped (fast shutdown). */
        STOPPED_LEFTOVER_SERVER
    }

    /** @param pid the process the lock file named, 0 when there was none */
    record Outcome(Action action, long pid, String detail) {
    }

    private final Duration stopTimeout;

    LeftoverPostmaster(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    /**
     * Stops or removes what an unclean exit left in {@code dataDir}. The caller holds the folder's lock, so no live
     * keywatch owns the server found.
     *
     * @throws IllegalStateException when a leftover server does not stop within the timeout
     */
    Outcome clear(Path dataDir) {
        Path pidFile = dataDir.resolve(PID_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Outcome(Action.NONE, 0, "no " + PID_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile + ": " + e.getMessage(), e);
        }
        long pid = lines.isEmpty() ? 0 : parsePid(lines.get(0));
        Optional<ProcessHandle> process = pid > 0
                ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
        Match match = process.map(p -> match(p, dataDir)).orElse(Match.OTHER);
        if (match == Match.UNKNOWN) {
            // removing the lock of a live server would let a second one start on its files
            throw new IllegalStateException("the PostgreSQL data folder " + dataDir + " is locked by process " + pid
                    + ", which cannot be told apart from a server on this folder; stop it if it is one (pg_ctl stop "
                    + "-m fast), or remove " + PID_FILE + " if it is not, and start again");
        }
        if (match == Match.OTHER) {
            String why = pid <= 0 ? "it names no process"
                    : process.isEmpty() ? "process " + pid + " is not running"
                    : "process " + pid + " is not a PostgreSQL server on this folder (its pid was reused)";
            delete(pidFile);
            LOG.warn("PostgreSQL data folder {}: removed the lock file {} left by an earlier run that did not shut "
                    + "down cleanly ({}); starting the server afresh", dataDir, PID_FILE, why);
            return new Outcome(Action.REMOVED_STALE_LOCK_FILE, Math.max(pid, 0), why);
        }
        long started = System.nanoTime();
        stop(process.get());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String detail = "stopped PostgreSQL server " + pid + " (fast shutdown) in " + millis + " ms";
        LOG.warn("PostgreSQL data folder {}: an earlier run did not shut down cleanly and left its server (pid {}) "
                + "running; {} rather than adopt it with unknown settings; starting the server afresh", dataDir, pid,
                detail);
        return new Outcome(Action.STOPPED_LEFTOVER_SERVER, pid, detail);
    }

    private void stop(ProcessHandle server) {
        if (!interrupt(server.pid())) {
            // no kill command: SIGTERM, PostgreSQL's smart shutdown (its clients died with the JVM that had them)
            server.destroy();
        }
        try {
            server.onExit().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the PostgreSQL server (pid " + server.pid() + ") left running by an "
                    + "earlier run did not stop within " + stopTimeout.toSeconds() + " s; stop it (pg_ctl stop -m "
                    + "fast, or kill -INT " + server.pid() + ") and start again");
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for PostgreSQL server " + server.pid() + " to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL server " + server.pid(), e);
        }
    }

    /** SIGINT, PostgreSQL's fast shutdown; false when it could not be sent. */
    private static boolean interrupt(long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("Cannot run kill -INT {} ({}); asking PostgreSQL for a smart shutdown instead", pid,
                    e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a live process is the PostgreSQL server of a folder. */
    enum Match {
        THIS_FOLDER,
        /** Not PostgreSQL, or PostgreSQL on another folder. */
        OTHER,
        /** PostgreSQL, or a process whose executable cannot be seen, on a folder that cannot be seen. */
        UNKNOWN
    }

    /**
     * Whether the process is a PostgreSQL server whose data folder is {@code dataDir}: its executable is named
     * {@code postgres}, and its working directory (the server changes into its data folder; Linux shows it under
     * /proc) or else its {@code -D} argument is the folder.
     */
    static Match match(ProcessHandle process, Path dataDir) {
        Optional<String> command = process.info().command();
        if (command.isEmpty()) {
            return Match.UNKNOWN;
        }
        if (!Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return Match.OTHER;
        }
        Path folder = real(dataDir);
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (Files.isDirectory(cwd)) {
            return real(cwd).equals(folder) ? Match.THIS_FOLDER : Match.OTHER;
        }
        Optional<String[]> arguments = process.info().arguments();
        if (arguments.isEmpty()) {
            return Match.UNKNOWN;
        }
        String[] args = arguments.get();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-D")) {
                return real(Path.of(args[i + 1])).equals(folder) ? Match.THIS_FOLDER : Match.OTHER;
            }
        }
        return Match.UNKNOWN;
    }

    private static long parsePid(String line) {
        try {
            return Long.parseLong(line.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static void delete(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale " + pidFile + ": " + e.getMessage(), e);
        }
    }
}
