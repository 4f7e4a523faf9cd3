package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.secrets.FingerprintKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        assertThat(dataDir.resolve(FingerprintKeyFile.FILE_NAME + ".tmp")).doesNotExist();
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
