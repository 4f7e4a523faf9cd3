package io.keywatch.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The embedded server's superuser password, and the switch from initdb's {@code trust} to SCRAM: initdb (run by
 * zonky) lets any local user in as superuser without a password; after the first start the role gets a generated
 * password and {@code pg_hba.conf} asks every connection for it ({@code scram-sha-256}). The password is kept beside
 * the data folder, readable by its owner only, so that a restart connects again.
 */
final class PostgresPassword {

    static final String HBA = """
            # keywatch: every connection authenticates with the generated password (SCRAM); see EmbeddedPostgresServer
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private PostgresPassword() {
    }

    /** 32 random bytes, URL-safe base64: nothing in it needs quoting in SQL. */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The password in {@code file}, or null when there is none yet. */
    static String read(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!password.matches("[A-Za-z0-9_-]{32,128}")) {
            // never quote it
            throw new IllegalStateException(file + " does not hold a password keywatch made; restore it");
        }
        return password;
    }

    /** Writes {@code password} to a new owner-only {@code file}. */
    static void write(Path file, String password) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            if (isPosix(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " appeared while this server started: another keywatch on the "
                    + "same data folder?");
        }
        Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
    }

    /** Whether {@code pg_hba.conf} in {@code dataDir} is keywatch's (SCRAM for everyone). */
    static boolean hbaIsScram(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
    }

    /**
     * Sets the superuser's password (SCRAM) over a connection that trust let in, then makes every later connection
     * need it. Connections already open stay; new ones authenticate.
     */
    static void lockDown(DataSource trusted, Path dataDir, String user, String password)
            throws SQLException, IOException {
        try (Connection connection = trusted.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            // the password is ours, of [A-Za-z0-9_-] only: no quoting issue; statements are not logged by default
            statement.execute("ALTER ROLE \"" + user + "\" PASSWORD '" + password + "'");
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * Makes {@code role} a login role with {@code password} and no attribute beyond LOGIN (not a superuser, cannot
     * create databases or roles): the role keywatch's service pool connects as, granted its privileges on the tables
     * by the migrations. Run at every start, so the password kept in the data folder is always the one that works.
     */
    static void ensureLoginRole(DataSource superuser, String role, String password) throws SQLException {
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            try (var rows = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
                if (!rows.next()) {
                    statement.execute("CREATE ROLE \"" + role + "\" LOGIN");
                }
            }
            // the role name is a constant of ours, the password ours of [A-Za-z0-9_-]: no quoting issue
            statement.execute("ALTER ROLE \"" + role + "\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                    + "NOBYPASSRLS PASSWORD '" + password + "'");
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
