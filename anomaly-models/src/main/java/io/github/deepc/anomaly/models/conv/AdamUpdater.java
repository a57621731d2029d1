package io.github.deepc.anomaly.models.conv;

/**
 * Adam exactly as ND4J 1.0.0-M2.1's {@code adam_updater} computes it (so that the engine and the SameDiff graph
 * train alike): with step {@code t} counted from 1, {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2}
 * and {@code p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}; {@code b1 = 0.9} (or as given), {@code b2 = 0.999},
 * {@code eps = 1e-8}. (PyTorch adds {@code eps} after the bias correction of {@code v}, a difference only while
 * {@code sqrt(v)} is near {@code eps}.)
 */
final class AdamUpdater {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final float[] m;
    private final float[] v;
    private final double beta1;

    /** @param size number of parameters */
    AdamUpdater(int size) {
        this(size, BETA1);
    }

    /**
     * @param size  number of parameters
     * @param beta1 the first moment's decay (the GANs use 0.5, after DCGAN)
     */
    AdamUpdater(int size, double beta1) {
        m = new float[size];
        v = new float[size];
        this.beta1 = beta1;
    }

    /** @return the number of parameters */
    int size() {
        return m.length;
    }

    /** @return the first and second moment estimates (live arrays, for checkpoints) */
    float[][] moments() {
        return new float[][] {m, v};
    }

    /**
     * @param params       parameters, updated in place
     * @param grads        their gradients
     * @param learningRate the learning rate
     * @param step         the 1-based update number
     */
    void update(float[] params, float[] grads, double learningRate, int step) {
        update(params, grads, learningRate, step, 0f);
    }

    /**
     * As {@link #update(float[], float[], double, int)} with SameDiff's L2 weight decay: {@code decay * p} is added to
     * each gradient first (in the same loop; the gradient array then holds the decayed gradient).
     *
     * @param decay the L2 coefficient, 0 for none
     */
    void update(float[] params, float[] grads, double learningRate, int step, float decay) {
        // in float throughout, as ND4J's float kernel computes it; a loop the JIT vectorises (float square roots and
        // divisions), where the former double arithmetic per parameter took most of a small network's Java time
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(beta1, step)));
        float b1 = (float) beta1;
        float b2 = (float) BETA2;
        float eps = (float) EPSILON;
        // the decay in the same pass (one loop less for the JIT to compile while the first epochs run: on two cores its
        // compiler thread takes a core from the native passes); with decay 0 the gradient is unchanged (0 p + g = g for
        // finite p, signed zeros aside, which Adam's moments do not tell apart)
        for (int i = 0; i < m.length; i++) {
            float g = decay * params[i] + grads[i];
            grads[i] = g;
            float mi = b1 * m[i] + (1 - b1) * g;
            float vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
    }
}
