package io.keywatch.api.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The one Jdbi set-up: PostgreSQL types, jsonb objects read as a map, then the features' own row mappers (each
 * feature's {@link JdbiPlugin}, handed over by the composition root), so that {@code db} knows no feature.
 */
public final class JdbiFactory {

    private static final TypeReference<Map<String, Object>> EVIDENCE = new TypeReference<>() {
    };

    private JdbiFactory() {
    }

    public static Jdbi create(DataSource dataSource, ObjectMapper json, List<? extends JdbiPlugin> features) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new PostgresPlugin());
        // Jdbi's default message lists the bound arguments, which may be a token hash, a secret or a user's text
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        jdbi.registerColumnMapper(new GenericType<Map<String, Object>>() {
        }, (rs, column, ctx) -> {
            String text = rs.getString(column);
            if (text == null) {
                return Map.of();
            }
            try {
                return json.readValue(text, EVIDENCE);
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable evidence JSON in column " + column, e);
            }
        });
        features.forEach(jdbi::installPlugin);
        return jdbi;
    }
}
