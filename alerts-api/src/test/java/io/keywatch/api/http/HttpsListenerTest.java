package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The API over TLS from PEM files: a self-signed certificate made with the JDK's keytool for this test. */
@ExtendWith(SharedInfra.class)
class HttpsListenerTest {

    @TempDir
    static Path dir;

    private static HikariDataSource dataSource;
    private static AlertsApiService service;
    private static KeyStore trusted;
    private static Path certPem;
    private static Path keyPem;

    @BeforeAll
    static void startOverTls(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) throws Exception {
        Path p12 = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", p12.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        certPem = dir.resolve("cert.pem");
        keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", p12.toString(), "-storepass", "changeit",
                "-file", certPem.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("api", "changeit".toCharArray());
        keyPem = dir.resolve("key.pem");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("api", store.getCertificate("api"));

        ApiSettings settings = TestServices.settings(postgres, broker);
        dataSource = DataSources.pooled(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        service = new AlertsApiService(settings, dataSource, null)
                .withListener(HttpListenerSettings.plain(HttpListenerSettings.LOOPBACK).withTls(certPem, keyPem))
                .start();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder().command(concat(keytool.toString(), args)).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }

    private static HttpClient trustingClient() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String scheme, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + service.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHttpsWithTheConfiguredCertificateAndSendsHsts() throws Exception {
        HttpResponse<String> response = get(trustingClient(), "https", "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("strict-transport-security"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("max-age=31536000"));
    }

    @Test
    void errorsCarryHstsToo() throws Exception {
        HttpResponse<String> response = get(trustingClient(), "https", "/api/v1/alerts");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("strict-transport-security")).isPresent();
    }

    @Test
    void plainHttpToTheTlsPortIsNotServed() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> {
            HttpResponse<String> response = get(plain, "http", "/health");
            // Jetty may answer a plain request on a TLS port with a 400; it must never be served
            assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
            throw new IOException("answered " + response.statusCode());
        }).isInstanceOf(IOException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "https", "/health"))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void aPkcs1KeyIsRefusedWithAHowToConvert() throws IOException {
        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeyStore.load(certPem, pkcs1, "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openssl pkcs8 -topk8")
                .hasMessageNotContaining("MIIB");
    }

    @Test
    void listenerSettingsComeFromTheEnvironmentWithTheCallersDefaultHost() {
        assertThat(HttpListenerSettings.fromEnv(Map.of(), HttpListenerSettings.LOOPBACK).host())
                .isEqualTo("127.0.0.1");
        assertThat(HttpListenerSettings.fromEnv(Map.of("KEYWATCH_HTTP_HOST", "0.0.0.0"),
                HttpListenerSettings.LOOPBACK).host()).isEqualTo("0.0.0.0");
        HttpListenerSettings tls = HttpListenerSettings.fromEnv(Map.of("KEYWATCH_HTTP_TLS_CERT", "/c.pem",
                "KEYWATCH_HTTP_TLS_KEY", "/k.pem"), HttpListenerSettings.ALL_INTERFACES);
        assertThat(tls.tls()).isTrue();
        assertThat(tls.host()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> HttpListenerSettings.fromEnv(Map.of("KEYWATCH_HTTP_TLS_CERT", "/c.pem"),
                HttpListenerSettings.LOOPBACK)).hasMessageContaining("must be set together");
    }
}
