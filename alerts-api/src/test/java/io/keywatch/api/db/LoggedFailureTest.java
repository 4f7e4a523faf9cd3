package io.keywatch.api.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeywatchJson;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** A failing statement with a secret bound, on real PostgreSQL: neither its message nor its log shows the secret. */
@ExtendWith(SharedInfra.class)
class LoggedFailureTest {

    private static final String SECRET = "whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ";

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;

    @BeforeAll
    static void database(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        jdbi = ApiJdbi.create(dataSource, KeywatchJson.newMapper());
        jdbi.useHandle(h -> h.execute("CREATE TABLE secrets (value text PRIMARY KEY)"));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO secrets VALUES (:v)").bind("v", SECRET).execute());
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    private static Throwable failWithSecretBound() {
        // a duplicate key: PostgreSQL's Detail would quote it, Jdbi's message would list it
        return catchThrowable(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO secrets VALUES (:v)")
                .bind("v", SECRET).execute()));
    }

    private static Throwable castWithSecretBound() {
        // an invalid uuid: PostgreSQL's primary message quotes the value
        return catchThrowable(() -> jdbi.useHandle(h -> h.createQuery("SELECT CAST(:v AS uuid)")
                .bind("v", SECRET).mapTo(String.class).one()));
    }

    @Test
    void jdbiAndPostgresMessagesNoLongerCarryTheBoundValueOfAUniqueViolation() {
        Throwable failure = failWithSecretBound();

        assertThat(failure).isNotNull();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
        }
    }

    @Test
    void theLoggedFormOfADatabaseFailureHasNoValueButSaysWhatFailed() {
        for (Throwable failure : new Throwable[] {failWithSecretBound(), castWithSecretBound()}) {
            Logger logger = (Logger) LoggerFactory.getLogger("io.keywatch.test.LoggedFailure");
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            try {
                logger.error("Unexpected error: {}", LoggedFailure.summary(failure), LoggedFailure.of(failure));
            } finally {
                logger.detachAppender(appender);
            }
            ILoggingEvent event = appender.list.get(0);
            String everything = event.getFormattedMessage() + "\n"
                    + ThrowableProxyUtil.asString((ThrowableProxy) event.getThrowableProxy());

            assertThat(everything).doesNotContain(SECRET).doesNotContain("c2VjcmV0")
                    .contains("SQLState").contains("at io.keywatch.api.db.LoggedFailureTest");
        }
        assertThat(LoggedFailure.summary(failWithSecretBound()))
                .contains("SQLState 23505").contains("INSERT INTO secrets VALUES (:v)");
    }

    @Test
    void otherFailuresAreLoggedAsTheyAre() {
        IllegalStateException plain = new IllegalStateException("no database here");

        assertThat(LoggedFailure.of(plain)).isSameAs(plain);
        assertThat(LoggedFailure.describe(plain)).isEqualTo(plain.toString());
    }
}
