package io.keywatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL outlives a JVM killed with kill -9 (it is a process of its own). Started again on the same
 * data folder, the server must neither fail on the lock file nor silently reuse the leftover: the leftover is
 * stopped, the data kept, and the start says what it did.
 */
class EmbeddedPostgresRecoveryTest {

    @TempDir
    Path dataDir;

    private long leftoverPid;

    @AfterEach
    void neverLeaveAServerBehind() {
        // only when the test failed before its server was stopped: a smart shutdown, as a clean exit would do
        if (leftoverPid > 0) {
            ProcessHandle.of(leftoverPid).filter(p -> LeftoverPostmaster.match(p, dataDir)
                    == LeftoverPostmaster.Match.THIS_FOLDER).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void aServerLeftRunningByAKilledJvmIsStoppedAndTheDataKept() throws Exception {
        Process child = startChild();
        try {
            awaitReady(child);
        } catch (RuntimeException | Error e) {
            child.destroyForcibly();
            throw e;
        }
        leftoverPid = pidInLockFile();
        ProcessHandle leftover = ProcessHandle.of(leftoverPid).orElseThrow();

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(leftover.isAlive()).as("the server outlives the JVM that started it").isTrue();
        assertThat(LeftoverPostmaster.match(leftover, dataDir)).isEqualTo(LeftoverPostmaster.Match.THIS_FOLDER);

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            assertThat(server.recoveryOutcome().action())
                    .isEqualTo(LeftoverPostmaster.Action.STOPPED_LEFTOVER_SERVER);
            assertThat(server.recoveryOutcome().pid()).isEqualTo(leftoverPid);
            assertThat(server.recovery()).startsWith("STOPPED_LEFTOVER_SERVER (pid " + leftoverPid + "): stopped");
            assertThat(leftover.isAlive()).as("the leftover is gone, not adopted").isFalse();
            assertThat(pidInLockFile()).as("the lock file is the new server's").isNotEqualTo(leftoverPid);
            assertThat(note(server)).isEqualTo("written before the crash");
        }
        leftoverPid = 0;
    }

    @Test
    void aLockFileNamingALiveProcessThatIsNoPostgresIsRemoved() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            assertThat(server.recoveryOutcome().action()).isEqualTo(LeftoverPostmaster.Action.NONE);
        }
        // a crash left the lock file, and its pid now belongs to another process (here: this JVM), which PostgreSQL
        // would take for a running server and refuse to start
        long reused = ProcessHandle.current().pid();
        Files.writeString(dataDir.resolve(LeftoverPostmaster.PID_FILE),
                reused + "\n" + dataDir + "\n1700000000\n5432\n/tmp\nlocalhost\n  5432001         0\nready\n");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            assertThat(server.recoveryOutcome().action()).isEqualTo(LeftoverPostmaster.Action.REMOVED_STALE_LOCK_FILE);
            assertThat(server.recoveryOutcome().detail()).contains("is not a PostgreSQL server on this folder");
            try (Connection connection = server.dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void aFolderInUseByARunningServerOfThisJvmIsRefusedNotStopped() throws Exception {
        try (EmbeddedPostgresServer running = EmbeddedPostgresServer.start(dataDir, 0)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is in use by another running");
            assertThat(note(running, "select 'still up'")).isEqualTo("still up");
        }
    }

    private Process startChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PostgresChild.class.getName(), dataDir.toString()))
                .redirectError(dataDir.getParent().resolve(dataDir.getFileName() + "-child.log").toFile())
                .start();
    }

    private static void awaitReady(Process child) throws Exception {
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        return line;
                    }
                }
                return "child exited with " + child.waitFor();
            } catch (IOException e) {
                return e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e.toString();
            }
        });
        assertThat(ready.get(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS)).startsWith("READY");
    }

    private long pidInLockFile() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve(LeftoverPostmaster.PID_FILE)).get(0).strip());
    }

    private static String note(EmbeddedPostgresServer server) throws Exception {
        return note(server, "select note from kept");
    }

    private static String note(EmbeddedPostgresServer server, String sql) throws Exception {
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
