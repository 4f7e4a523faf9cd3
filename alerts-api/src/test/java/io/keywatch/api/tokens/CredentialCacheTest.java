package io.keywatch.api.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    /** A clock moved by hand. */
    private static final class HandClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final CredentialCache cache = new CredentialCache(Duration.ofSeconds(1), clock);
    private final AtomicInteger reads = new AtomicInteger();

    private Optional<ApiTokenStore.Credential> read(String id) {
        reads.incrementAndGet();
        return id.startsWith("known")
                ? Optional.of(new ApiTokenStore.Credential(id, "ci", "VIEWER", new byte[32], T0.plusSeconds(3600),
                null, null))
                : Optional.empty();
    }

    @Test
    void aRowIsReadOncePerTimeToLiveAndAgainAfterIt() {
        for (int i = 0; i < 100; i++) {
            assertThat(cache.get("known-1", this::read)).isPresent();
        }
        assertThat(reads).hasValue(1);

        clock.now = T0.plusMillis(999);
        cache.get("known-1", this::read);
        assertThat(reads).hasValue(1);
        clock.now = T0.plusMillis(1000);
        cache.get("known-1", this::read);
        assertThat(reads).as("at most a second old: a revocation elsewhere is seen within it").hasValue(2);
    }

    @Test
    void aRevocationHereIsSeenAtOnce() {
        cache.get("known-1", this::read);
        cache.evict("known-1");
        cache.get("known-1", this::read);

        assertThat(reads).hasValue(2);
    }

    @Test
    void aRowReadWhileTheTokenWasRevokedHereIsNotKept() {
        // a request reads the row just before the revocation commits and would keep it after the eviction
        cache.get("known-1", id -> {
            cache.evict("known-1");
            return read(id);
        });
        reads.set(0);

        cache.get("known-1", this::read);

        assertThat(reads).as("the next request reads the revoked row").hasValue(1);
    }

    @Test
    void madeUpIdsAreNeverKeptSoTheyCannotGrowIt() {
        for (int i = 0; i < 3 * CredentialCache.MAX_ENTRIES; i++) {
            assertThat(cache.get("made-up-" + i, this::read)).isEmpty();
        }
        assertThat(cache.get("made-up-0", this::read)).isEmpty();
        assertThat(reads).as("each unknown id is read every time").hasValue(3 * CredentialCache.MAX_ENTRIES + 1);
    }

    @Test
    void atMostMaxEntriesRowsAreKept() {
        for (int i = 0; i <= CredentialCache.MAX_ENTRIES; i++) {
            cache.get("known-" + i, this::read);
        }
        reads.set(0);
        cache.get("known-0", this::read); // the least recently used, dropped for the last one
        cache.get("known-" + CredentialCache.MAX_ENTRIES, this::read);

        assertThat(reads).hasValue(1);
    }

    @Test
    void aWrittenLastUseIsKeptSoItIsNotWrittenOnEveryRequest() {
        cache.get("known-1", this::read);
        cache.touched("known-1", T0);

        assertThat(cache.get("known-1", this::read)).get().extracting(ApiTokenStore.Credential::lastUsedAt)
                .isEqualTo(T0);
    }

    @Test
    void aClockThatGoesBackReadsAgain() {
        cache.get("known-1", this::read);
        clock.now = T0.minusSeconds(5);
        cache.get("known-1", this::read);

        assertThat(reads).hasValue(2);
    }

    @Test
    void noTimeToLiveReadsEveryTime() {
        CredentialCache none = CredentialCache.none();
        none.get("known-1", this::read);
        none.get("known-1", this::read);

        assertThat(reads).hasValue(2);
    }
}
