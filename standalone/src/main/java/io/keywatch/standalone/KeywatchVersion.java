package io.keywatch.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The build's version (the Maven project's, written into the jar at build time), for {@code --version}. */
public final class KeywatchVersion implements CommandLine.IVersionProvider {

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from classes without the resource. */
    public static String get() {
        try (InputStream in = KeywatchVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version resource", e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-FULL-NAME} " + get()};
    }
}
