package io.keywatch.api.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.alerts.AlertHistoryEntry;
import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.silences.Silence;
import io.keywatch.events.KeyMetadata;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The one Jdbi set-up: PostgreSQL types, record mappers, jsonb evidence read as a map and key metadata as a record. */
public final class JdbiFactory {

    private static final TypeReference<Map<String, Object>> EVIDENCE = new TypeReference<>() {
    };

    private JdbiFactory() {
    }

    public static Jdbi create(DataSource dataSource, ObjectMapper json) {
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
        jdbi.registerColumnMapper(KeyMetadata.class, (rs, column, ctx) -> {
            String text = rs.getString(column);
            if (text == null) {
                return null;
            }
            try {
                return json.readValue(text, KeyMetadata.class);
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable key metadata JSON in column " + column, e);
            }
        });
        jdbi.registerRowMapper(StoredAlert.class, new StoredAlertMapper(json));
        jdbi.registerRowMapper(ConstructorMapper.factory(AlertHistoryEntry.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(KeyRecord.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(Silence.class));
        return jdbi;
    }
}
