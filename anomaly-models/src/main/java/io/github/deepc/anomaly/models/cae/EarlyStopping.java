package io.github.deepc.anomaly.models.cae;

/**
 * Early-stopping bookkeeping over per-epoch validation losses: an epoch improves when its loss is strictly below the
 * best so far (a NaN loss never improves); training should stop after {@code patience} epochs in a row without
 * improvement. Patience 0 never stops.
 */
final class EarlyStopping {
    private final int patience;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int epochs;
    private int sinceBest;

    /** @param patience epochs without improvement before stopping, 0 for never */
    EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0, got " + patience);
        }
        this.patience = patience;
    }

    /**
     * Records the next epoch's validation loss.
     *
     * @param loss the loss
     * @return whether it is the best so far
     */
    boolean update(double loss) {
        epochs++;
        if (loss < best) {
            best = loss;
            bestEpoch = epochs;
            sinceBest = 0;
            return true;
        }
        sinceBest++;
        return false;
    }

    /** @return whether training should stop now */
    boolean shouldStop() {
        return patience > 0 && sinceBest >= patience;
    }

    /** @return the lowest loss so far ({@code +inf} before the first finite one) */
    double best() {
        return best;
    }

    /** @return the number of epochs recorded */
    int epochs() {
        return epochs;
    }

    /** @return the 1-based epoch of the lowest loss, 0 when none improved */
    int bestEpoch() {
        return bestEpoch;
    }
}
