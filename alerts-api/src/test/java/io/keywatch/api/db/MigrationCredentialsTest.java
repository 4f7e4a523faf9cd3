package io.keywatch.api.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.ApiSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KEYWATCH_DB_MIGRATION_*: optional, both or neither, and the password never shown. */
class MigrationCredentialsTest {

    @Test
    void unsetMigratesAsTheServiceUserAsBefore() {
        assertThat(MigrationCredentials.fromEnv(Map.of())).isNull();
        assertThat(MigrationCredentials.fromEnv(Map.of("KEYWATCH_DB_MIGRATION_USER", " "))).isNull();
        assertThat(ApiSettings.defaults().migration()).isNull();
    }

    @Test
    void readsTheOwnersCredentialsAndNeverPrintsThePassword() {
        ApiSettings settings = ApiSettings.fromEnv(Map.of("KEYWATCH_DB_USER", "keywatch_app",
                "KEYWATCH_DB_MIGRATION_USER", " keywatch_owner ", "KEYWATCH_DB_MIGRATION_PASSWORD", "s3cret-owner",
                "KEYWATCH_DB_APP_ROLE", "keywatch_app"));
        assertThat(settings.migration()).isEqualTo(new MigrationCredentials("keywatch_owner", "s3cret-owner"));
        assertThat(settings.dbAppRole()).isEqualTo("keywatch_app");
        assertThat(settings.toString()).contains("keywatch_owner").doesNotContain("s3cret-owner");
        // the copy methods keep it
        assertThat(settings.withHttpPort(0).withAdminToken("t").withKafkaBootstrap("k:1").migration())
                .isEqualTo(settings.migration());
    }

    @Test
    void halfAPairIsAnError() {
        assertThatThrownBy(() -> MigrationCredentials.fromEnv(Map.of("KEYWATCH_DB_MIGRATION_USER", "owner")))
                .hasMessageContaining("KEYWATCH_DB_MIGRATION_PASSWORD");
        assertThatThrownBy(() -> MigrationCredentials.fromEnv(Map.of("KEYWATCH_DB_MIGRATION_PASSWORD", "pw-123")))
                .hasMessageContaining("without KEYWATCH_DB_MIGRATION_USER").hasMessageNotContaining("pw-123");
    }
}
