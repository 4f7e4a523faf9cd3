package io.keywatch.api;

import io.keywatch.api.approvals.FourEyesSettings;
import io.keywatch.api.audit.AuditSettings;
import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.console.ConsoleSsoSettings;
import io.keywatch.api.http.AbuseLimits;
import io.keywatch.api.tokens.TokenSettings;
import java.util.Map;
import java.util.Objects;

/**
 * Who may get in, what needs two people, and who may only append to the audit trail: one group of {@link ApiSettings}, so that a new access setting changes
 * this record, not every copy method of the API's settings.
 *
 * @param tokens   how long named API tokens live ({@code KEYWATCH_TOKEN_*})
 * @param oidc     single sign-on with bearer JWTs from an OIDC issuer ({@code KEYWATCH_OIDC_*}); off by default
 * @param fourEyes which changes wait for a second identity's approval ({@code KEYWATCH_FOUR_EYES},
 *                 {@code KEYWATCH_APPROVAL_EXPIRY_HOURS})
 * @param abuse    failed-authentication throttling and the longest silence ({@code KEYWATCH_AUTH_FAILURES_PER_MINUTE},
 *                 {@code KEYWATCH_SILENCE_MAX_DAYS})
 * @param audit    the database role that may only append to the audit trail ({@code KEYWATCH_DB_APP_ROLE})
 * @param consoleSso the console's SSO sign-in client ({@code KEYWATCH_OIDC_CONSOLE_*}); off by default
 */
public record AccessSettings(TokenSettings tokens, OidcSettings oidc, FourEyesSettings fourEyes, AbuseLimits abuse,
                             AuditSettings audit, ConsoleSsoSettings consoleSso) {

    /** Default token lifetimes, no single sign-on, four eyes on, the default abuse limits. */
    public static final AccessSettings DEFAULTS = new AccessSettings(TokenSettings.DEFAULTS, OidcSettings.DISABLED,
            FourEyesSettings.DEFAULTS, AbuseLimits.DEFAULTS, new AuditSettings(null), ConsoleSsoSettings.DISABLED);

    public AccessSettings {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(oidc, "oidc");
        Objects.requireNonNull(fourEyes, "fourEyes");
        Objects.requireNonNull(abuse, "abuse");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(consoleSso, "consoleSso");
        if (consoleSso.enabled() && !oidc.enabled()) {
            throw new IllegalArgumentException("the console's SSO client needs single sign-on (KEYWATCH_OIDC_ISSUER)");
        }
    }

    /** Without the console's SSO client. */
    public AccessSettings(TokenSettings tokens, OidcSettings oidc, FourEyesSettings fourEyes, AbuseLimits abuse,
                          AuditSettings audit) {
        this(tokens, oidc, fourEyes, abuse, audit, ConsoleSsoSettings.DISABLED);
    }

    public static AccessSettings fromEnv(Map<String, String> variables) {
        return new AccessSettings(TokenSettings.fromEnv(variables), OidcSettings.fromEnv(variables),
                FourEyesSettings.fromEnv(variables), AbuseLimits.fromEnv(variables), AuditSettings.fromEnv(variables),
                ConsoleSsoSettings.fromEnv(variables));
    }

    public AccessSettings withTokens(TokenSettings newTokens) {
        return new AccessSettings(newTokens, oidc, fourEyes, abuse, audit, consoleSso);
    }

    public AccessSettings withOidc(OidcSettings newOidc) {
        return new AccessSettings(tokens, newOidc, fourEyes, abuse, audit, consoleSso);
    }

    public AccessSettings withFourEyes(FourEyesSettings newFourEyes) {
        return new AccessSettings(tokens, oidc, newFourEyes, abuse, audit, consoleSso);
    }

    public AccessSettings withAbuse(AbuseLimits newAbuse) {
        return new AccessSettings(tokens, oidc, fourEyes, newAbuse, audit, consoleSso);
    }

    public AccessSettings withConsoleSso(ConsoleSsoSettings newConsoleSso) {
        return new AccessSettings(tokens, oidc, fourEyes, abuse, audit, newConsoleSso);
    }

    public AccessSettings withAudit(AuditSettings newAudit) {
        return new AccessSettings(tokens, oidc, fourEyes, abuse, newAudit, consoleSso);
    }
}
