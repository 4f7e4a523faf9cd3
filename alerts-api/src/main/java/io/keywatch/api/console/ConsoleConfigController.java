package io.keywatch.api.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * {@code GET /console/config.json}: what the sign-in screen needs before anyone is signed in, so it takes no
 * credential and holds nothing secret: {@code {"sso":null}}, or the issuer, the console's public client id, the
 * scopes and the issuer's authorization and token endpoints, or instead of the endpoints an {@code error} (a fixed
 * text: the detail is in the log), with {@code "starting":true} until the first discovery finished. Never waits on the
 * issuer ({@link ConsoleSso} discovers in the background). Outside {@code /api/}, where every route needs a
 * credential.
 */
public final class ConsoleConfigController {

    public static final String PATH = "/console/config.json";

    private final ConsoleSso sso;

    public ConsoleConfigController(ConsoleSso sso) {
        this.sso = sso;
    }

    public void config(Context ctx) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ConsoleSso.State state = sso.state();
        if (state instanceof ConsoleSso.Ready ready) {
            body.putObject("sso")
                    .put("issuer", ready.issuer())
                    .put("clientId", ready.clientId())
                    .put("scopes", ready.scopes())
                    .put("authorizationEndpoint", ready.endpoints().authorization().toString())
                    .put("tokenEndpoint", ready.endpoints().token().toString());
        } else if (state instanceof ConsoleSso.Unavailable unavailable) {
            ObjectNode sso = body.putObject("sso")
                    .put("issuer", unavailable.issuer())
                    .put("clientId", unavailable.clientId())
                    .put("scopes", unavailable.scopes())
                    .put("error", unavailable.error());
            if (unavailable.starting()) {
                sso.put("starting", true); // the console asks again shortly
            }
        } else {
            body.putNull("sso");
        }
        // the endpoints may change with the issuer's configuration: never from a cache
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result(body.toString());
    }
}
