package io.keywatch.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from binaries shipped in a jar. With a data folder, the database survives restarts;
 * without one, it lives in a temporary folder that is removed on close.
 *
 * <p>The server is a process of its own and outlives a JVM killed without its shutdown hooks (kill -9). Before
 * starting on a data folder, what such an exit left there is cleared ({@link LeftoverPostmaster}: a leftover
 * server on the folder is stopped, a stale lock file removed) and the log says which; {@link #recovery()} says it
 * to callers.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String USER = "postgres";
    /** The service's login role: owns nothing, granted what it needs by the migrations (KEYWATCH_DB_APP_ROLE). */
    private static final String APP_USER = "keywatch_app";
    private static final String DATABASE = "postgres";
    /** The lock file zonky's EmbeddedPostgres holds while it runs on a folder. */
    private static final String FOLDER_LOCK = "epg-lock";
    private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final LeftoverPostmaster.Outcome recovery;
    private final String password;
    private final String appPassword;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, LeftoverPostmaster.Outcome recovery, String password,
                                   String appPassword) {
        this.postgres = postgres;
        this.recovery = recovery;
        this.password = password;
        this.appPassword = appPassword;
    }

    /**
     * Every connection needs the superuser's password ({@code scram-sha-256}): generated on the first start and,
     * with a data folder, kept beside it in {@code <dataDir>.password} (owner-only); see {@link PostgresPassword}.
     *
     * @param dataDir where to keep the database; null for a temporary one
     * @param port    0 for any free port
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(FreePort.orFree(port))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false);
            Path passwordFile = dataDir == null ? null
                    : dataDir.resolveSibling(dataDir.getFileName() + ".password");
            String kept = PostgresPassword.read(passwordFile);
            if (kept != null) {
                // zonky checks the server is up with a connection of its own: that one needs the password too
                builder.setConnectConfig("password", kept);
            }
            LeftoverPostmaster.Outcome recovery =
                    new LeftoverPostmaster.Outcome(LeftoverPostmaster.Action.NONE, 0, "a new temporary folder");
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                if (Files.exists(dataDir.resolve("postgresql.conf"))) {
                    // an initialized folder (a new one must stay empty for initdb, and no server can run on it)
                    recovery = clearLeftovers(dataDir);
                }
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            // zonky hands the folder (a temporary one too) to this hook after initdb, before the server starts
            java.util.concurrent.atomic.AtomicReference<Path> initialized = new java.util.concurrent.atomic.AtomicReference<>();
            builder.setDataDirectoryCustomizer(folder -> initialized.set(folder.toPath()));
            EmbeddedPostgres postgres = builder.start();
            Path folder = initialized.get();
            String password = kept;
            if (password == null || !PostgresPassword.hbaIsScram(folder)) {
                password = password != null ? password : PostgresPassword.generate();
                if (passwordFile != null && kept == null) {
                    PostgresPassword.write(passwordFile, password);
                }
                DataSource trusted = kept == null ? postgres.getPostgresDatabase()
                        : postgres.getDatabase(USER, DATABASE, java.util.Map.of("password", kept));
                PostgresPassword.lockDown(trusted, folder, USER, password);
                log.info("Embedded PostgreSQL now asks every connection for a password (SCRAM){}",
                        passwordFile == null ? "" : "; kept in " + passwordFile + " (owner-only)");
            }
            String appPassword = appPassword(dataDir);
            PostgresPassword.ensureLoginRole(postgres.getDatabase(USER, DATABASE, java.util.Map.of("password", password)),
                    APP_USER, appPassword);
            log.info("Embedded PostgreSQL ready on port {} (data in {})", postgres.getPort(),
                    dataDir == null ? "a temporary folder" : dataDir);
            return new EmbeddedPostgresServer(postgres, recovery, password, appPassword);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot set the embedded PostgreSQL's password (SQLState "
                    + e.getSQLState() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** The app role's password: kept in {@code <dataDir>.app-password} (owner-only), made on the first start. */
    private static String appPassword(Path dataDir) throws IOException {
        if (dataDir == null) {
            return PostgresPassword.generate();
        }
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".app-password");
        String kept = PostgresPassword.read(file);
        if (kept != null) {
            return kept;
        }
        String generated = PostgresPassword.generate();
        PostgresPassword.write(file, generated);
        return generated;
    }

    /**
     * Under the folder's lock, so that the server of a keywatch still running on it is never taken for a leftover:
     * that keywatch holds the lock for as long as it runs, and a killed one holds it no more.
     */
    private static LeftoverPostmaster.Outcome clearLeftovers(Path dataDir) throws IOException {
        try (FileChannel channel = FileChannel.open(dataDir.resolve(FOLDER_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel)) {
            if (lock == null) {
                throw new IllegalStateException("the PostgreSQL data folder " + dataDir + " is in use by another "
                        + "running keywatch (or test): stop it, or give this one another data folder");
            }
            return new LeftoverPostmaster(LEFTOVER_STOP_TIMEOUT).clear(dataDir);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by a server of this very JVM
        }
    }

    /** What starting found in the data folder from an earlier run, and what was done about it. */
    public String recovery() {
        return recovery.action() + (recovery.pid() > 0 ? " (pid " + recovery.pid() + ")" : "") + ": "
                + recovery.detail();
    }

    LeftoverPostmaster.Outcome recoveryOutcome() {
        return recovery;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** The superuser's generated password: every connection needs it. Never log it. */
    public String password() {
        return password;
    }

    /** The login role keywatch's service pool uses: no superuser, owns nothing (see {@link #start}). */
    public String appUser() {
        return APP_USER;
    }

    /** {@link #appUser()}'s generated password. Never log it. */
    public String appPassword() {
        return appPassword;
    }

    public DataSource dataSource() {
        return postgres.getDatabase(USER, DATABASE, java.util.Map.of("password", password));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        }
    }
}
