package io.keywatch.streams;

import java.util.HashMap;
import java.util.Map;

/**
 * The store kind the topology tests run with: {@code KEYWATCH_STREAMS_STORES} from the system property
 * {@code keywatch.test.stores}, which the module's second surefire execution sets to {@code builtin}, so that every
 * topology test runs on keywatch's object stores and on Kafka Streams' own (an upgrade that breaks the object stores
 * is caught, and the way back is tested).
 */
public final class TestStores {

    public static final String PROPERTY = "keywatch.test.stores";

    private TestStores() {
    }

    /** {@code env} with the store kind under test added (unless the test chose one itself). */
    public static Map<String, String> env(Map<String, String> env) {
        String kind = System.getProperty(PROPERTY);
        if (kind == null || kind.isBlank() || env.containsKey("KEYWATCH_STREAMS_STORES")) {
            return env;
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("KEYWATCH_STREAMS_STORES", kind);
        return all;
    }
}
