package io.github.deepc.anomaly.eval.experiment;

import java.util.Locale;

/** How a run ended. */
public enum RunStatus {
    /** Trained, scored and evaluated. */
    OK,
    /** An exception stopped it (unknown plugin id, bad parameter, training failure...); the reason is recorded. */
    FAILED,
    /** Not attempted: the scorer needs model outputs that the model does not produce. */
    SKIPPED;

    /** @return the lowercase word used in result files */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
