package io.github.deepc.anomaly.core.progress;

import java.util.Map;

/**
 * One finished training epoch.
 *
 * @param epoch           1-based epoch number
 * @param epochs          number of epochs planned
 * @param loss            mean training loss of the epoch
 * @param imagesPerSecond training throughput of the epoch (loading excluded)
 * @param seconds         wall time of the epoch
 * @param extra           further named values (validation loss, D(real), ...), possibly empty
 */
public record EpochReport(int epoch, int epochs, double loss, double imagesPerSecond, double seconds,
                          Map<String, Double> extra) {
    /** Copies the extras. */
    public EpochReport {
        extra = Map.copyOf(extra);
    }
}
