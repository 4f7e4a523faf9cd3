package io.keywatch.api.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfra.class)
class KeyRevokerTest {

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static KeyStore keys;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private KeyRevoker revoker;

    /** Records what would go to Kafka; can be told to fail like an unreachable broker. */
    private static final class RecordingPublisher implements KeyStatePublisher {
        final List<KeyState> published = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void publish(KeyState state) {
            if (failing) {
                throw new KeyStatePublishException("broker unreachable", null);
            }
            published.add(state);
        }
    }

    @BeforeAll
    static void startDatabase(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        jdbi = ApiJdbi.create(dataSource, KeywatchJson.newMapper());
        keys = new KeyStore(jdbi);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @BeforeEach
    void emptyTables() {
        jdbi.useHandle(h -> h.execute("TRUNCATE alerts, alert_occurrences, alert_history, silences, keys"));
        revoker = new KeyRevoker(keys, publisher);
    }

    @Test
    void revokingStoresTheKeyAndPublishesItsState() {
        KeyRecord key = revoker.revoke("key-1", "leaked", "api:admin");

        assertThat(key.status()).isEqualTo(KeyStatus.REVOKED);
        assertThat(key.statePublished()).isTrue();
        assertThat(keys.find("key-1")).contains(key);
        assertThat(publisher.published).singleElement().satisfies(state -> {
            assertThat(state.keyId()).isEqualTo("key-1");
            assertThat(state.status()).isEqualTo(KeyStatus.REVOKED);
            assertThat(state.reason()).isEqualTo("leaked");
            assertThat(state.changedBy()).isEqualTo("api:admin");
            assertThat(state.changedAt()).isEqualTo(key.changedAt());
        });
    }

    @Test
    void revokingARevokedKeyReturnsTheFirstRevocationAndPublishesNothing() {
        KeyRecord first = revoker.revoke("key-1", "leaked", "api:admin");

        KeyRecord second = revoker.revoke("key-1", "again", "policy:VOLUME_SPIKE");

        assertThat(second).isEqualTo(first);
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void aFailedPublicationSurfacesAndIsRepeatedByTheNextRevocation() {
        publisher.failing = true;
        assertThatThrownBy(() -> revoker.revoke("key-1", "leaked", "api:admin"))
                .isInstanceOf(KeyStatePublishException.class);
        assertThat(keys.find("key-1")).hasValueSatisfying(key -> {
            assertThat(key.isRevoked()).isTrue();
            assertThat(key.statePublished()).isFalse();
        });

        publisher.failing = false;
        KeyRecord retried = revoker.revoke("key-1", "retry", "api:admin");

        assertThat(retried.reason()).as("the stored revocation is kept").isEqualTo("leaked");
        assertThat(retried.statePublished()).isTrue();
        assertThat(publisher.published).singleElement().extracting(KeyState::reason).isEqualTo("leaked");
    }

    @Test
    void republishesChangesWhoseAnnouncementFailed() {
        publisher.failing = true;
        assertThatThrownBy(() -> revoker.revoke("key-1", "leaked", "api:admin"))
                .isInstanceOf(KeyStatePublishException.class);
        publisher.failing = false;

        assertThat(revoker.republishPending()).isEqualTo(1);
        assertThat(revoker.republishPending()).isZero();
        assertThat(publisher.published).extracting(KeyState::keyId).containsExactly("key-1");
    }

    @Test
    void aRegistrationWhoseAnnouncementFailedIsRepublishedWithItsMetadataAndRevocationKeepsIt() {
        KeyRegistry registry = new KeyRegistry(keys, publisher);
        KeyMetadata metadata = new KeyMetadata("team-a", "billing", List.of("read"), null, null, 60, false,
                List.of("DE"), List.of("10.0.0.0/8"), Map.of("volume.floor", 5.0));
        publisher.failing = true;
        assertThatThrownBy(() -> registry.register("key-1", metadata, "api:admin"))
                .isInstanceOf(KeyStatePublishException.class);
        assertThat(keys.find("key-1")).hasValueSatisfying(key -> {
            assertThat(key.metadata()).isEqualTo(metadata);
            assertThat(key.statePublished()).isFalse();
        });
        publisher.failing = false;

        assertThat(revoker.republishPending()).isEqualTo(1);
        revoker.revoke("key-1", "leaked", "policy:VOLUME_SPIKE");

        assertThat(publisher.published).extracting(KeyState::status).containsExactly(KeyStatus.ACTIVE, KeyStatus.REVOKED);
        assertThat(publisher.published).extracting(KeyState::metadata).containsOnly(metadata);
        assertThat(registry.register("key-1", metadata, "api:admin").created()).isFalse();
        assertThat(publisher.published).as("the same entry again publishes nothing").hasSize(2);
    }

    @Test
    void anUnknownKeyHasNoRow() {
        assertThat(keys.find("never-seen")).isEmpty();
    }
}
