package io.keywatch.api.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The security team's console: static HTML, ES modules and one stylesheet from the jar ({@code console/} on the
 * classpath), served at {@code /} without a credential. The assets hold nothing secret; every datum comes from the
 * API, which checks the caller's role on each call.
 */
public final class ConsoleAssets {

    /** Where the files are on the classpath. */
    static final String DIRECTORY = "/console";

    private ConsoleAssets() {
    }

    public static void install(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = DIRECTORY;
            files.location = Location.CLASSPATH;
            // no build step, so no fingerprinted file names: the browser revalidates (ETag) on every load, so a new
            // jar never meets a stale module
            files.headers = Map.of("Cache-Control", "no-cache");
        });
        // third-party browser code as WebJars (uPlot for the key page's chart) at /webjars/<name>/<version>/...: from
        // the jar, never a CDN; the version is in the path, so Javalin lets browsers cache them for long
        config.staticFiles.enableWebjars();
    }
}
