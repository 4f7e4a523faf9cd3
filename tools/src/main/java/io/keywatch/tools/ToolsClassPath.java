package io.keywatch.tools;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The class path a child JVM of the tools needs to run keywatch's classes. */
public final class ToolsClassPath {

    private ToolsClassPath() {
    }

    /**
     * The jar this command runs from (keywatch-tools.jar holds the product's classes too), or (in tests, from class
     * folders) this JVM's class path. Located by this class, not by the product's: in a reactor build the product's
     * classes come from its thin jar, which alone would not run.
     */
    public static String get() {
        try {
            Path location = Path.of(ToolsClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && location.toString().endsWith(".jar")) {
                return location.toString();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the class path
        }
        return System.getProperty("java.class.path");
    }
}
