package io.keywatch.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory key store built from PEM files with JDK classes only, because Jetty reads key stores, not PEM: an
 * X.509 chain (leaf first) and an unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}; RSA, EC or EdDSA).
 * Error messages name the file, never its content.
 */
public final class PemKeyStore {

    /** The alias of the one entry. */
    public static final String ALIAS = "keywatch";

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PemKeyStore() {
    }

    /**
     * @param password protects the entry in memory only
     * @throws IllegalArgumentException when a file cannot be read or holds no usable certificate or key
     */
    public static KeyStore load(Path certChain, Path privateKey, char[] password) {
        Certificate[] chain = readChain(certChain);
        PrivateKey key = readKey(privateKey);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_KEY " + privateKey
                    + " does not match KEYWATCH_HTTP_TLS_CERT " + certChain + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    private static Certificate[] readChain(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .toArray(Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_CERT " + file + " holds no certificate");
            }
            return chain;
        } catch (IOException e) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_CERT " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_CERT " + file
                    + " is not a PEM X.509 certificate chain", e);
        }
    }

    private static PrivateKey readKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_KEY " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_KEY " + file + " holds no unencrypted PKCS#8 key "
                    + "(-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", "")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_KEY " + file + " is not valid base64", e);
        }
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("KEYWATCH_HTTP_TLS_KEY " + file + " is not an RSA, EC or EdDSA key");
    }
}
