package io.keywatch.tools.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The soak's child JVMs: {@code streams} instances sharing one application id and {@code api} instances sharing one
 * alert consumer group. One of each is named and logged as before ({@code streams}, {@code streams.log}); several
 * are numbered ({@code streams-1}, {@code streams-1.log}, ...).
 */
final class SoakChildren implements AutoCloseable {

    private final List<ChildService> streams;
    private final List<ChildService> apis;

    private SoakChildren(List<ChildService> streams, List<ChildService> apis) {
        this.streams = List.copyOf(streams);
        this.apis = List.copyOf(apis);
    }

    /**
     * @param streamsEnv the environment of streams instance i (from 0), its client id and state dir its own
     * @param apiEnv     the environment of api instance i (from 0), its HTTP port its own
     */
    static SoakChildren of(ScaleOutSettings scale, Path dataDir, IntFunction<Map<String, String>> streamsEnv,
                           IntFunction<Map<String, String>> apiEnv) {
        List<ChildService> streams = new ArrayList<>();
        for (int i = 0; i < scale.streams(); i++) {
            String name = name("streams", i, scale.streams());
            streams.add(new ChildService("streams", name, streamsEnv.apply(i), dataDir.resolve(name + ".log"),
                    scale.childHeapMb()));
        }
        List<ChildService> apis = new ArrayList<>();
        for (int i = 0; i < scale.apis(); i++) {
            String name = name("api", i, scale.apis());
            apis.add(new ChildService("api", name, apiEnv.apply(i), dataDir.resolve(name + ".log"), scale.childHeapMb()));
        }
        return new SoakChildren(streams, apis);
    }

    /** The name of instance i of n: the service's name alone when it is the only one. */
    static String name(String service, int i, int n) {
        return n == 1 ? service : service + "-" + (i + 1);
    }

    List<ChildService> streams() {
        return streams;
    }

    List<ChildService> apis() {
        return apis;
    }

    void startAll() throws IOException {
        for (ChildService api : apis) {
            api.start();
        }
        for (ChildService s : streams) {
            s.start();
        }
    }

    int streamsKills() {
        return streams.stream().mapToInt(ChildService::kills).sum();
    }

    int apiKills() {
        return apis.stream().mapToInt(ChildService::kills).sum();
    }

    /** SIGKILL to every child (the shutdown hook's way). */
    void killAll() throws InterruptedException {
        for (ChildService child : all()) {
            child.kill();
        }
    }

    List<ChildService> all() {
        List<ChildService> all = new ArrayList<>(streams);
        all.addAll(apis);
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        InterruptedException interrupted = null;
        for (ChildService child : all()) {
            try {
                child.close();
            } catch (InterruptedException e) {
                interrupted = e;
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
    }
}
