package io.keywatch.api.silences;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.spi.JdbiPlugin;

/** The silences' row mapper, installed by {@code db.JdbiFactory}. */
public final class SilenceRowMappers implements JdbiPlugin {

    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.registerRowMapper(ConstructorMapper.factory(Silence.class));
    }
}
