package io.github.deepc.anomaly.spark;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** Creates the Spark session of the command-line entry points. */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * Stops a session made by {@link #create} unless it was already running before (an embedding application's or a
     * test's session is left to its owner).
     *
     * @param spark      the session
     * @param preexisting whether a default session existed before {@link #create}
     */
    public static void stopIfOwned(SparkSession spark, boolean preexisting) {
        if (!preexisting) {
            spark.stop();
        }
    }

    /** @return whether a default session is running (then {@link #create} returns it) */
    public static boolean running() {
        return SparkSession.getDefaultSession().isDefined();
    }

    /**
     * A session for {@code master}. Local masters bind the driver to 127.0.0.1 (no network needed) and run without
     * the web UI; with {@code master == null} the master comes from {@code spark-submit} ({@code spark.master}), or
     * {@code local[*]} when none is set.
     *
     * @param master  e.g. {@code local[2]}, {@code spark://host:7077}, {@code yarn}, or {@code null}
     * @param appName the application name
     * @return the session (the existing one when a session is active)
     */
    public static SparkSession create(String master, String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        String effective = master;
        if (effective == null) {
            effective = new org.apache.spark.SparkConf().get("spark.master", "local[*]");
        }
        b.master(effective);
        if (effective.toLowerCase(Locale.ROOT).startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8");
        }
        return b.getOrCreate();
    }
}
