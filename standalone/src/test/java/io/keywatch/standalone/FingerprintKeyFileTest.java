package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.secrets.SecretBox;
import io.keywatch.api.secrets.SecretKeys;
import io.keywatch.events.secrets.FingerprintKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintKeyFileTest {

    @TempDir
    Path dataDir;

    @Test
    void makesTheKeyOnFirstStartOwnerOnlyAndKeepsItAcrossRestarts() throws Exception {
        FingerprintKey first = FingerprintKeyFile.loadOrCreate(dataDir);
        Path file = dataDir.resolve(FingerprintKeyFile.FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(FingerprintKeyFile.loadOrCreate(dataDir)).isEqualTo(first);
        try (var files = Files.list(dataDir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void makesTheWebhookSecretKeyOnFirstStartOwnerOnlyAndKeepsItAcrossRestarts() throws Exception {
        SecretKeys first = FingerprintKeyFile.loadOrCreateSecretKeys(dataDir);
        Path file = dataDir.resolve(FingerprintKeyFile.SECRETS_FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(FingerprintKeyFile.loadOrCreateSecretKeys(dataDir).toEnvValue()).isEqualTo(first.toEnvValue());
        // what one start sealed, the next opens
        String sealed = new SecretBox(first).seal("whsec_x", "wh_1");
        assertThat(new SecretBox(FingerprintKeyFile.loadOrCreateSecretKeys(dataDir)).open(sealed, "wh_1"))
                .isEqualTo("whsec_x");
    }

    @Test
    void ofConcurrentFirstStartsTheFirstKeyWinsAndEveryStartGetsIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path dir = dataDir.resolve("round-" + round);
            int starts = 6;
            CyclicBarrier together = new CyclicBarrier(starts);
            ExecutorService pool = Executors.newFixedThreadPool(starts);
            try {
                List<Future<FingerprintKey>> keys = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    keys.add(pool.submit(() -> {
                        together.await();
                        return FingerprintKeyFile.loadOrCreate(dir);
                    }));
                }
                FingerprintKey onDisk = FingerprintKeyFile.loadOrCreate(dir);
                for (Future<FingerprintKey> key : keys) {
                    assertThat(key.get()).as("round %d", round).isEqualTo(onDisk);
                }
            } finally {
                pool.shutdownNow();
            }
            try (var files = Files.list(dir)) {
                assertThat(files).containsExactly(dir.resolve(FingerprintKeyFile.FILE_NAME));
            }
        }
    }

    @Test
    void tightensAFileOthersCouldReadAndRefusesOneThatHoldsNoKey() throws Exception {
        FingerprintKey first = FingerprintKeyFile.loadOrCreate(dataDir);
        Path file = dataDir.resolve(FingerprintKeyFile.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(FingerprintKeyFile.loadOrCreate(dataDir)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Files.writeString(file, "tOoShOrT");
        assertThatThrownBy(() -> FingerprintKeyFile.loadOrCreate(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not hold a secret-fingerprint key").hasMessageNotContaining("tOoShOrT");
    }
}
