package io.github.deepc.anomaly.spark;

import java.util.Arrays;
import java.util.Locale;

/** How {@link SparkScorer} and {@link SparkPreprocessor} write their results. */
public enum OutputFormat {
    /** A Parquet data set (scalable; Spark writes it in parallel). */
    PARQUET,
    /** One CSV file in the single-JVM tools' format (collected on the driver). */
    CSV;

    /**
     * @param name {@code parquet} or {@code csv}, any case
     * @return the format
     * @throws IllegalArgumentException naming the known formats
     */
    public static OutputFormat parse(String name) {
        for (OutputFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; known: "
                + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
    }
}
