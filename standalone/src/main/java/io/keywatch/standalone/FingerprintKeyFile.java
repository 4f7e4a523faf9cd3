package io.keywatch.standalone;

import io.keywatch.api.secrets.SecretKeys;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.signing.RecordSigningKeys;
import java.util.function.Function;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone's secret-fingerprint key, kept in its data directory ({@value #FILE_NAME}, readable by the owner
 * only), so that a secret published as a key id gets the same fingerprint after a restart. Made on first start.
 * Neither the key nor the file's content ever appears in a log or an error message. The record signing keys are kept
 * the same way ({@value #SIGNING_FILE_NAME}), and so is the key that seals webhook secrets in the database
 * ({@value #SECRETS_FILE_NAME}).
 */
final class FingerprintKeyFile {

    static final String FILE_NAME = "secret-fingerprint.key";
    static final String SIGNING_FILE_NAME = "record-signing.keys";
    static final String SECRETS_FILE_NAME = "webhook-secrets.keys";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Logger LOG = LoggerFactory.getLogger(FingerprintKeyFile.class);

    private FingerprintKeyFile() {
    }

    /** The key in {@code dataDir}, made (and written, owner-only) when there is none yet. */
    static FingerprintKey loadOrCreate(Path dataDir) {
        return loadOrCreate(dataDir, FILE_NAME, "secret-fingerprint key", FingerprintKey.random().toBase64(),
                FingerprintKey::parseBase64);
    }

    /**
     * The record signing keys in {@code dataDir} ({@value #SIGNING_FILE_NAME}), made when there are none yet: the
     * standalone's services share them in-process, and a restart keeps verifying what was signed before.
     */
    static RecordSigningKeys loadOrCreateSigningKeys(Path dataDir) {
        return loadOrCreate(dataDir, SIGNING_FILE_NAME, "record signing key",
                RecordSigningKeys.random("standalone-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC))
                        .toEnvValue(), RecordSigningKeys::parse);
    }

    /**
     * The key-encryption key that seals webhook secrets in the embedded database ({@value #SECRETS_FILE_NAME}),
     * made when there is none yet; without it after a restart the stored secrets could not be opened.
     */
    static SecretKeys loadOrCreateSecretKeys(Path dataDir) {
        return loadOrCreate(dataDir, SECRETS_FILE_NAME, "webhook secret key",
                SecretKeys.random("standalone-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)).toEnvValue(),
                SecretKeys::parse);
    }

    /**
     * The value in {@code dataDir/fileName} as {@code parse} reads it, or {@code fresh} written there (owner-only)
     * when there is none yet. {@code parse} says why it refuses a value without quoting it.
     */
    static <T> T loadOrCreate(Path dataDir, String fileName, String what, String fresh, Function<String, T> parse) {
        Path file = dataDir.resolve(fileName);
        try {
            if (Files.exists(file)) {
                return load(file, what, parse);
            }
            Files.createDirectories(dataDir);
            T key = parse.apply(fresh);
            // written to a private temporary file of its own, then linked into place: never a moment when others
            // can read it, nor a half-written key after a crash. A hard link is never made over an existing file
            // (ATOMIC_MOVE would replace it on POSIX), so of two first starts at once the first wins and the other
            // reads its key
            Path temporary = isPosix(dataDir)
                    ? Files.createTempFile(dataDir, fileName + ".", ".tmp",
                            PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(dataDir, fileName + ".", ".tmp");
            try {
                if (!isPosix(dataDir)) {
                    ownerOnly(temporary);
                }
                Files.writeString(temporary, fresh + "\n", StandardCharsets.US_ASCII);
                if (!linkInPlace(temporary, file)) {
                    // another process made one first: use that one
                    return load(file, what, parse);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            LOG.info("made a new {} in {} (readable by its owner only)", what, file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Puts the written key in place unless a key is there already: false when one was. */
    private static boolean linkInPlace(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // no hard links here: a copy that refuses an existing target (not atomic against a concurrent start)
            try {
                Files.copy(temporary, file, StandardCopyOption.COPY_ATTRIBUTES);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            }
        }
    }

    private static <T> T load(Path file, String what, Function<String, T> parse) throws IOException {
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            LOG.warn("{} was readable by others than its owner ({}); made it owner-only. If others could read it, "
                    + "delete it to make a new key (what the old one made no longer matches)", file,
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return parse.apply(text.strip());
        } catch (IllegalArgumentException e) {
            // the reason only (e.g. "not valid base64"): never the content
            throw new IllegalStateException(file + " does not hold a " + what + " (" + e.getMessage()
                    + "); restore it, or delete it to make a new one (what the old one made no longer matches)");
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void ownerOnly(Path file) {
        java.io.File f = file.toFile();
        boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!ok) {
            LOG.warn("could not restrict {} to its owner", file);
        }
    }
}
