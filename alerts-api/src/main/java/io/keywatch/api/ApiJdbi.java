package io.keywatch.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.alerts.AlertRowMappers;
import io.keywatch.api.db.JdbiFactory;
import io.keywatch.api.keys.KeyRowMappers;
import io.keywatch.api.silences.SilenceRowMappers;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/** Composition: the API's Jdbi, {@link JdbiFactory}'s set-up with every feature's row mappers. */
public final class ApiJdbi {

    private ApiJdbi() {
    }

    public static Jdbi create(DataSource dataSource, ObjectMapper json) {
        return JdbiFactory.create(dataSource, json,
                List.of(new AlertRowMappers(), new KeyRowMappers(json), new SilenceRowMappers()));
    }
}
