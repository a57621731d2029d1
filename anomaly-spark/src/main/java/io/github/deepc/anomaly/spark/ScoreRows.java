package io.github.deepc.anomaly.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output of {@link SparkScorer}: one row per input image, {@code path, patient, label, score, decision, error,
 * ordinal}. {@code label} is 0, 1 or null (unknown); {@code score} is null and {@code error} names the cause when the
 * image could not be scored; {@code decision} is 0/1 by the detector's threshold, null without one; {@code ordinal}
 * is the image's position in the input.
 */
public final class ScoreRows {
    /** Column: image path or URI. */
    public static final String PATH = "path";
    /** Column: patient id. */
    public static final String PATIENT = "patient";
    /** Column: 0, 1 or null. */
    public static final String LABEL = "label";
    /** Column: outlier score, null for a failed image. */
    public static final String SCORE = "score";
    /** Column: 0/1 decision, null without a threshold or for a failed image. */
    public static final String DECISION = "decision";
    /** Column: why the image could not be scored, null when it was. */
    public static final String ERROR = "error";
    /** Column: position in the input. */
    public static final String ORDINAL = "ordinal";

    /** The output schema. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(PATH, DataTypes.StringType, false),
        DataTypes.createStructField(PATIENT, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.IntegerType, true),
        DataTypes.createStructField(SCORE, DataTypes.DoubleType, true),
        DataTypes.createStructField(DECISION, DataTypes.IntegerType, true),
        DataTypes.createStructField(ERROR, DataTypes.StringType, true),
        DataTypes.createStructField(ORDINAL, DataTypes.LongType, false)});

    private ScoreRows() {
    }
}
