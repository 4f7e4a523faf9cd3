package io.keywatch.api.alerts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.spi.JdbiPlugin;

/** The alerts' row mappers, installed by {@code db.JdbiFactory} when the composition root hands them over. */
public final class AlertRowMappers implements JdbiPlugin {

    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.registerRowMapper(StoredAlert.class, new StoredAlertMapper());
        jdbi.registerRowMapper(AlertSummary.class, new AlertSummaryMapper());
        jdbi.registerRowMapper(ConstructorMapper.factory(AlertHistoryEntry.class));
    }
}
