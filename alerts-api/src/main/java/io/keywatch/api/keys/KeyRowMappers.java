package io.keywatch.api.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeyMetadata;
import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.spi.JdbiPlugin;

/** The keys' mappers (key metadata read from jsonb as a record), installed by {@code db.JdbiFactory}. */
public final class KeyRowMappers implements JdbiPlugin {

    private final ObjectMapper json;

    public KeyRowMappers(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void customizeJdbi(Jdbi jdbi) {
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
        jdbi.registerRowMapper(ConstructorMapper.factory(KeyRecord.class));
    }
}
