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

    /**
     * Writes the bookkeeping, for a checkpoint.
     *
     * @param out where to write
     * @throws java.io.IOException when writing fails
     */
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeDouble(best);
        out.writeInt(bestEpoch);
        out.writeInt(epochs);
        out.writeInt(sinceBest);
    }

    /**
     * Reads the bookkeeping {@link #write} wrote.
     *
     * @param in where to read
     * @throws java.io.IOException when it is inconsistent
     */
    void read(java.io.DataInputStream in) throws java.io.IOException {
        double b = in.readDouble();
        int be = in.readInt();
        int e = in.readInt();
        int since = in.readInt();
        if (e < 0 || be < 0 || be > e || since < 0 || since > e) {
            throw new java.io.IOException("corrupt early-stopping state: best epoch " + be + ", epochs " + e
                    + ", since best " + since);
        }
        best = b;
        bestEpoch = be;
        epochs = e;
        sinceBest = since;
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
