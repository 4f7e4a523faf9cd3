package io.keywatch.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in a child JVM by {@link EmbeddedPostgresRecoveryTest}: starts the embedded PostgreSQL on the folder given,
 * writes one row, says READY on stdout and waits to be killed (kill -9, as a crash would).
 */
public final class PostgresChild {

    private PostgresChild() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create table kept (note text)");
            statement.execute("insert into kept values ('written before the crash')");
        }
        // the handle is never closed: only the kill ends this JVM
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
