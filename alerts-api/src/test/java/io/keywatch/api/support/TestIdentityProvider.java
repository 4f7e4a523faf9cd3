package io.keywatch.api.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An OpenID provider for browser sign-in tests, on a {@link TestIssuer} (its discovery document, key set and token
 * signing): {@code /authorize} signs the configured user in at once (no login page) and {@code /token} trades the code
 * for an access token, as strictly as a real provider for a public client with PKCE: client id, redirect URI,
 * {@code response_type=code}, S256 only, a single-use code bound to its challenge, CORS for the console's origin only.
 * Whatever it refuses is recorded ({@link #refusals()}), so a test can tell a console bug from a provider answer.
 */
public final class TestIdentityProvider {

    /** The console's client id at this provider. */
    public static final String CLIENT_ID = "keywatch-console";
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private record Grant(String clientId, String redirectUri, String challenge, String email, List<String> groups) {
    }

    private final TestIssuer issuer;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile String consoleOrigin = "http://localhost";
    private volatile String email = "nobody@example.com";
    private volatile List<String> groups = List.of();
    private volatile Map<String, String> lastAuthorization = Map.of();

    private TestIdentityProvider(TestIssuer issuer) {
        this.issuer = issuer;
    }

    /** Adds {@code /authorize} and {@code /token} to the issuer and to its discovery document. */
    public static TestIdentityProvider on(TestIssuer issuer) {
        TestIdentityProvider provider = new TestIdentityProvider(issuer);
        issuer.advertise("authorization_endpoint", issuer.serve("/authorize", provider::authorize).toString());
        issuer.advertise("token_endpoint", issuer.serve("/token", provider::token).toString());
        return provider;
    }

    /** The console's origin ({@code http://localhost:<port>}): its redirect URI is this plus {@code /}. */
    public void console(String origin) {
        this.consoleOrigin = origin;
    }

    /** Who the next sign-in is. */
    public void signsIn(String userEmail, String... userGroups) {
        this.email = userEmail;
        this.groups = List.of(userGroups);
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The query parameters of the last authorization request. */
    public Map<String, String> lastAuthorization() {
        return lastAuthorization;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        lastAuthorization = query;
        String redirectUri = consoleOrigin + "/";
        String problem = !"GET".equals(exchange.getRequestMethod()) ? "method " + exchange.getRequestMethod()
                : !"code".equals(query.get("response_type")) ? "response_type " + query.get("response_type")
                : !CLIENT_ID.equals(query.get("client_id")) ? "client_id " + query.get("client_id")
                : !redirectUri.equals(query.get("redirect_uri")) ? "redirect_uri " + query.get("redirect_uri")
                : !"S256".equals(query.get("code_challenge_method")) ? "code_challenge_method "
                        + query.get("code_challenge_method")
                : query.getOrDefault("code_challenge", "").length() != 43 ? "code_challenge " + query.get("code_challenge")
                : query.getOrDefault("state", "").isEmpty() ? "no state"
                : query.getOrDefault("nonce", "").isEmpty() ? "no nonce"
                : !List.of(query.getOrDefault("scope", "").split(" ")).contains("openid") ? "scope " + query.get("scope")
                : null;
        if (problem != null) {
            refusals.add("authorize: " + problem);
            respond(exchange, 400, "text/plain", "invalid_request: " + problem);
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(CLIENT_ID, redirectUri, query.get("code_challenge"), email, groups));
        exchange.getResponseHeaders().set("Location", redirectUri + "?code=" + encode(code) + "&state="
                + encode(query.get("state")));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (Objects.equals(origin, consoleOrigin)) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", consoleOrigin);
            exchange.getResponseHeaders().set("Vary", "Origin");
        }
        if ("OPTIONS".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "POST");
            exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type, Accept");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        tokenRequests.incrementAndGet();
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = body.get("code") == null ? null : codes.remove(body.get("code")); // a code works once
        String verifier = body.getOrDefault("code_verifier", "");
        String problem = !"POST".equals(exchange.getRequestMethod()) ? "method " + exchange.getRequestMethod()
                : !"authorization_code".equals(body.get("grant_type")) ? "grant_type " + body.get("grant_type")
                : grant == null ? "unknown or used code"
                : !grant.clientId().equals(body.get("client_id")) ? "client_id " + body.get("client_id")
                : !grant.redirectUri().equals(body.get("redirect_uri")) ? "redirect_uri " + body.get("redirect_uri")
                : !VERIFIER.matcher(verifier).matches() ? "code_verifier shape"
                : !grant.challenge().equals(s256(verifier)) ? "code_verifier does not match the challenge"
                : null;
        if (problem != null) {
            refusals.add("token: " + problem);
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\""
                    + problem + "\"}");
            return;
        }
        String accessToken = issuer.token(grant.email(), grant.groups().toArray(String[]::new));
        respond(exchange, 200, "application/json", "{\"access_token\":\"" + accessToken + "\",\"token_type\":"
                + "\"Bearer\",\"expires_in\":300,\"refresh_token\":\"rt-" + UUID.randomUUID() + "\"}");
    }

    /** base64url(SHA-256(verifier)), RFC 7636 section 4.2. */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The authorization endpoint's URL. */
    public URI authorizationEndpoint() {
        return URI.create(issuer.issuer() + "/authorize");
    }
}
