package io.keywatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the image tar Jib wrote ({@code docker load} format: manifest.json, config.json, gzipped layers) and checks
 * what an operator relies on: who the process runs as, where state lives, what starts, what is inside, and that
 * the bytes do not depend on when they were built. Then it unpacks the layers and starts the image's own
 * entrypoint in them (chroot, as the image's user), which proves the jlink-ed runtime finds every library it needs.
 */
class ImageTarTest {

    private static final String VERSION = System.getProperty("image.version", "");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Jib's fixed file time (EPOCH_PLUS_SECOND): the same inputs give the same layers, digest and all. */
    private static final Instant FILE_TIME = Instant.ofEpochSecond(1);

    private static JsonNode config;
    /** layer file -> (path in the image -> entry), in the order of the manifest */
    private static final Map<String, Map<String, TarArchiveEntry>> layers = new LinkedHashMap<>();

    @BeforeAll
    static void readTar() throws IOException {
        Path tar = Path.of(System.getProperty("image.tar", "target/keywatch-image.tar"));
        assertThat(tar).as("the image tar (built by `mvn -Pimage package`)").isRegularFile();
        Map<String, byte[]> small = new HashMap<>();
        Map<String, Map<String, TarArchiveEntry>> listings = new HashMap<>();
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry entry; (entry = outer.getNextEntry()) != null; ) {
                if (entry.getName().endsWith(".tar.gz")) {
                    listings.put(entry.getName(), list(new GzipCompressorInputStream(outer)));
                } else if (entry.getName().endsWith(".json")) {
                    small.put(entry.getName(), outer.readAllBytes());
                }
            }
        }
        JsonNode manifest = JSON.readTree(small.get("manifest.json")).get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("keywatch:" + VERSION);
        config = JSON.readTree(small.get(manifest.get("Config").asText()));
        manifest.get("Layers").forEach(layer -> layers.put(layer.asText(), listings.get(layer.asText())));
    }

    private static Map<String, TarArchiveEntry> list(InputStream layer) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        // not closed: it would close the outer tar's stream
        TarArchiveInputStream in = new TarArchiveInputStream(layer);
        for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
            entries.put(stripSlash(entry.getName()), entry);
        }
        return entries;
    }

    private static String stripSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static TarArchiveEntry entry(String path) {
        return layers.values().stream().map(layer -> layer.get(path)).filter(e -> e != null)
                .reduce((first, later) -> later).orElse(null);
    }

    private static int layerIndexOf(String path) {
        int i = 0;
        for (Map<String, TarArchiveEntry> layer : layers.values()) {
            if (layer.containsKey(path)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    @Test
    void runsAsAnUnprivilegedNumericUser() {
        String user = config.get("config").get("User").asText();
        assertThat(user).matches("\\d+:\\d+");
        assertThat(user).doesNotStartWith("0:").isEqualTo("65532:65532");
    }

    @Test
    void keepsItsStateInAVolumeTheUserCanWrite() {
        JsonNode container = config.get("config");
        assertThat(container.get("Volumes").has("/var/lib/keywatch")).isTrue();
        assertThat(container.get("WorkingDir").asText()).isEqualTo("/var/lib/keywatch");
        assertThat(env()).containsEntry("KEYWATCH_DATA_DIR", "/var/lib/keywatch/data")
                .containsEntry("KEYWATCH_STREAMS_STATE_DIR", "/var/lib/keywatch/streams");
        // Jib gives every file to root: a named volume made from the image inherits this mode
        TarArchiveEntry state = entry("var/lib/keywatch");
        assertThat(state).isNotNull();
        assertThat(state.isDirectory()).isTrue();
        assertThat(state.getMode() & 0777).isEqualTo(0777);
    }

    @Test
    void entrypointIsKeywatchOnTheImagesOwnJavaWithAContainerAwareHeap() {
        List<String> entrypoint = strings(config.get("config").get("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
                .noneMatch(arg -> arg.startsWith("-Xmx"));
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
                .containsExactly("-jar", "/app/keywatch.jar");
        // `docker run IMAGE api` replaces this; bare `docker run IMAGE` prints the commands
        assertThat(strings(config.get("config").get("Cmd"))).containsExactly("--help");
    }

    @Test
    void carriesOciAnnotations() {
        JsonNode labels = config.get("config").get("Labels");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("keywatch");
        assertThat(labels.get("org.opencontainers.image.source").asText()).isNotBlank();
        assertThat(labels.get("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
    }

    @Test
    void holdsTheRuntimeItsLibrariesAndTheJarTheRuntimeLayerFirst() {
        for (String path : List.of("opt/java/bin/java", "opt/java/lib/server/libjvm.so", "opt/java/lib/modules",
                "opt/java/lib/security/cacerts", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6",
                "lib/x86_64-linux-gnu/libz.so.1", "lib/x86_64-linux-gnu/libstdc++.so.6", "bin/sh", "etc/passwd",
                "app/keywatch.jar")) {
            assertThat(entry(path)).as(path).isNotNull();
            assertThat(entry(path).isFile()).as(path).isTrue();
        }
        assertThat(entry("opt/java/bin/java").getMode() & 0111).isEqualTo(0111);
        assertThat(entry("app/keywatch.jar").getSize()).isGreaterThan(10_000_000L);
        // a release changes the jar, not the runtime: the runtime's layer stays cached below the jar's
        assertThat(layerIndexOf("opt/java/bin/java")).isLessThan(layerIndexOf("app/keywatch.jar"));
        assertThat(layerIndexOf("opt/java/bin/java")).isNotEqualTo(layerIndexOf("app/keywatch.jar"));
        // no JDK tools, no sources: a runtime
        assertThat(entry("opt/java/bin/javac")).isNull();
        assertThat(entry("opt/java/lib/src.zip")).isNull();
    }

    @Test
    void isReproducibleNoTimestampOfTheBuild() {
        assertThat(config.get("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
        layers.values().forEach(layer -> layer.values().forEach(entry ->
                assertThat(entry.getModTime().toInstant()).as(entry.getName()).isEqualTo(FILE_TIME)));
    }

    @Test
    void theImagesJavaStartsAndRunsKeywatch(@TempDir Path root) throws Exception {
        // chroot as the image's user needs root (no daemon here to `docker run`): the test machine's case
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && Files.isExecutable(Path.of("/usr/sbin/chroot")), "needs root, unshare and chroot");
        unpackLayers(root);
        // the image's "/" (a temporary folder is its owner's only, and the image's user is not root)
        Files.setPosixFilePermissions(root, permissions(0755));
        Files.createDirectories(root.resolve("proc"));
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork",
                "--mount-proc=" + root.resolve("proc"), "/usr/sbin/chroot", "--userspec="
                + config.get("config").get("User").asText(), root.toString()));
        command.addAll(strings(config.get("config").get("Entrypoint")));
        command.add("--version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.strip()).startsWith("keywatch ");
    }

    /** Every layer over the same root: their paths do not overlap but for folders (`app/`), so order is moot. */
    private static void unpackLayers(Path root) throws IOException {
        Path tar = Path.of(System.getProperty("image.tar", "target/keywatch-image.tar"));
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry entry; (entry = outer.getNextEntry()) != null; ) {
                if (layers.containsKey(entry.getName())) {
                    unpack(new TarArchiveInputStream(new GzipCompressorInputStream(outer)), root);
                }
            }
        }
    }

    private static void unpack(TarArchiveInputStream in, Path root) throws IOException {
        for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
            Path target = root.resolve(stripSlash(entry.getName())).normalize();
            assertThat(target.startsWith(root)).as(entry.getName()).isTrue();
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else {
                assertThat(entry.isFile()).as("only files and folders: " + entry.getName()).isTrue();
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        config.get("config").get("Env").forEach(line -> {
            String[] pair = line.asText().split("=", 2);
            env.put(pair[0], pair[1]);
        });
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(node -> list.add(node.asText()));
        return list;
    }
}
