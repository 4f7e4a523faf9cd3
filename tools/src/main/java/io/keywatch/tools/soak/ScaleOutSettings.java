package io.keywatch.tools.soak;

/**
 * How many service instances a soak runs and what a kill does to them.
 *
 * @param streams how many {@code streams} child JVMs share the one application id (each its own state dir)
 * @param apis    how many {@code api} child JVMs share the one alert consumer group and PostgreSQL
 * @param restart whether a killed streams instance is started again ({@code false}: left dead, its partitions must
 *                go to the survivors)
 */
public record ScaleOutSettings(int streams, int apis, boolean restart) {

    /** The soak as it was before scale-out: one of each, a killed child restarted. */
    public static final ScaleOutSettings SINGLE = new ScaleOutSettings(1, 1, true);

    public ScaleOutSettings {
        if (streams < 1 || streams > 8) {
            throw new IllegalArgumentException("streams instances must be between 1 and 8, got " + streams);
        }
        if (apis < 1 || apis > 8) {
            throw new IllegalArgumentException("api instances must be between 1 and 8, got " + apis);
        }
    }

    /** Checks that a run of {@code kills} kills leaves a streams instance alive when killed ones stay dead. */
    public void requireSurvivor(int kills) {
        if (!restart && kills >= streams) {
            throw new IllegalArgumentException("--no-restart with " + kills + " kill(s) needs more than " + kills
                    + " streams instance(s) (a survivor must take the partitions), got " + streams);
        }
    }

    /** Heap per child JVM: smaller when many share the machine. */
    int childHeapMb() {
        return streams + apis > 2 ? 256 : 384;
    }
}
