package io.github.deepc.anomaly.core.data;

/** Ground truth of a sample, when known. */
public enum Label {
    /** Belongs to the normal class. */
    NORMAL(0),
    /** Belongs to any other class (abnormal). */
    ABNORMAL(1),
    /** No ground truth (unlabelled input). */
    UNKNOWN(-1);

    private final int code;

    Label(int code) {
        this.code = code;
    }

    /** @return 0 for normal, 1 for abnormal, -1 for unknown (the value used in score CSVs) */
    public int code() {
        return code;
    }
}
