package io.keywatch.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.errors.StateConflictException;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.silences.SilenceStore;
import io.keywatch.api.support.MutableClock;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The four-eyes rules on real PostgreSQL, with a clock the test moves and an audit hook that records. */
@ExtendWith(SharedInfra.class)
class FourEyesTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final List<String> AUDITED = new CopyOnWriteArrayList<>();
    private static HikariDataSource dataSource;
    private static KeyStore keys;
    private static KeyRevoker revoker;
    private static FourEyes fourEyes;
    private static ApprovalStore store;

    @BeforeAll
    static void setUp(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        ObjectMapper json = KeywatchJson.newMapper();
        Jdbi jdbi = ApiJdbi.create(dataSource, json);
        keys = new KeyStore(jdbi, json);
        revoker = new KeyRevoker(keys, state -> { }, CLOCK);
        store = new ApprovalStore(jdbi);
        ApprovalAudit audit = new ApprovalAudit() {
            @Override
            public void requested(Handle handle, ApprovalRequest request, Actor actor) {
                AUDITED.add("requested " + request.id() + " by " + actor.identity());
            }

            @Override
            public void decided(Handle handle, ApprovalRequest request, Actor actor) {
                AUDITED.add(request.status() + " " + request.id() + " by " + actor.identity());
            }
        };
        fourEyes = new FourEyes(FourEyesSettings.DEFAULTS, store, keys, revoker, new SilenceStore(jdbi, CLOCK), audit,
                CLOCK);
    }

    @AfterAll
    static void tearDown() {
        dataSource.close();
    }

    private static Actor actor(String name) {
        return new Actor(new Principal(name, Role.ADMIN, "test"), null, "127.0.0.1", "req-" + name);
    }

    @Test
    void requestsAndDecisionsReachTheAuditHook() {
        revoker.revoke("audit-key", "leak", "alice");
        ApprovalRequest request = fourEyes.requestReinstatement("audit-key", "fixed", actor("bob")).orElseThrow();
        fourEyes.approve(request.id(), "ok", actor("carol"));

        assertThat(AUDITED).contains("requested " + request.id() + " by bob", "APPROVED " + request.id() + " by carol");
    }

    @Test
    void aPendingRequestExpiresWithTheClock() {
        revoker.revoke("clock-key", "leak", "alice");
        ApprovalRequest request = fourEyes.requestReinstatement("clock-key", "fixed", actor("bob")).orElseThrow();
        CLOCK.advance(Duration.ofHours(24));
        try {
            assertThat(store.find(request.id(), CLOCK.instant()).orElseThrow().status())
                    .isEqualTo(ApprovalStatus.EXPIRED);
            assertThatThrownBy(() -> fourEyes.approve(request.id(), null, actor("carol")))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("expired");
            assertThat(keys.find("clock-key").orElseThrow().status()).isEqualTo(KeyStatus.REVOKED);
            // the sweep frees the key for a new request
            assertThat(fourEyes.requestReinstatement("clock-key", "again", actor("bob"))).isPresent();
        } finally {
            CLOCK.advance(Duration.ofHours(-24));
        }
    }

    @Test
    void twoApproversAtOnceCarryTheChangeOutOnce() throws Exception {
        revoker.revoke("race-key", "leak", "alice");
        ApprovalRequest request = fourEyes.requestReinstatement("race-key", "fixed", actor("bob")).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                String approver = "approver-" + i;
                outcomes.add(pool.submit(() -> {
                    try {
                        return fourEyes.approve(request.id(), null, actor(approver)).orElseThrow().status().name();
                    } catch (StateConflictException e) {
                        return "conflict";
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertThat(results).containsExactlyInAnyOrder("APPROVED", "conflict", "conflict", "conflict");
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.find("race-key").orElseThrow().status()).isEqualTo(KeyStatus.ACTIVE);
    }

    @Test
    void anApprovedReinstatementOfAKeyReinstatedMeanwhileFailsWithTheReason() {
        revoker.revoke("meanwhile-key", "leak", "alice");
        ApprovalRequest request = fourEyes.requestReinstatement("meanwhile-key", "fixed", actor("bob")).orElseThrow();
        // e.g. while four eyes were switched off
        revoker.reinstate("meanwhile-key", "done by hand", "dave");

        ApprovalRequest decided = fourEyes.approve(request.id(), null, actor("carol")).orElseThrow();

        assertThat(decided.status()).isEqualTo(ApprovalStatus.FAILED);
        assertThat(decided.outcome()).contains("it is ACTIVE");
        assertThat(decided.decidedBy()).isEqualTo("carol");
    }

    @Test
    void aRuleWideSilenceThatWouldHaveEndedBeforeApprovalIsNotCreated() {
        ApprovalRequest request = fourEyes.requestRuleWideSilence("GEO_ANOMALY",
                CLOCK.instant().plus(Duration.ofHours(1)), "travel week", actor("alice"));
        CLOCK.advance(Duration.ofHours(2));
        try {
            // the request itself lives 24 h; the silence it asks for would have ended an hour ago
            ApprovalRequest decided = fourEyes.approve(request.id(), null, actor("bob")).orElseThrow();
            assertThat(decided.status()).isEqualTo(ApprovalStatus.FAILED);
            assertThat(decided.outcome()).contains("before it was approved");
        } finally {
            CLOCK.advance(Duration.ofHours(-2));
        }
    }
}
