package io.github.deepc.anomaly.models.conv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training step the engine's networks share: every trainable array with its gradient array and its
 * {@link AdamUpdater}, and one update of all of them per step (optionally with SameDiff's L2 weight decay, which adds
 * {@code decay * p} to each gradient before Adam), after which each array's hook re-reads it (the matrix products read
 * a native copy of the weights). The step count starts at 1 with the first update. Not thread-safe.
 */
final class AdamStep implements OptimizerState {
    private final List<float[]> params = new ArrayList<>();
    private final List<float[]> grads = new ArrayList<>();
    private final List<AdamUpdater> updaters = new ArrayList<>();
    private final List<Runnable> changed = new ArrayList<>();
    private final double beta1;
    private int step;

    /** Adam with ND4J's default first-moment decay 0.9. */
    AdamStep() {
        this(AdamUpdater.BETA1);
    }

    /** @param beta1 Adam's first-moment decay (the GANs use 0.5) */
    AdamStep(double beta1) {
        this.beta1 = beta1;
    }

    /**
     * Adds a trainable array.
     *
     * @param values   the parameters (updated in place); the first {@code size} values are trained
     * @param gradient their gradient, at least {@code size} values
     * @param size     values to train
     * @param hook     what to run after the array changed (e.g. a layer's {@code pushWeights}), or {@code null}
     * @return this
     */
    AdamStep add(float[] values, float[] gradient, int size, Runnable hook) {
        params.add(values);
        grads.add(gradient);
        updaters.add(new AdamUpdater(size, beta1));
        if (hook != null && !changed.contains(hook)) {
            changed.add(hook);
        }
        return this;
    }

    /** @return the trainable arrays, in the order they were added */
    List<float[]> parameters() {
        return params;
    }

    /** @return every array's first and second moment estimates (live arrays, for checkpoints), in the order added */
    @Override
    public List<float[]> moments() {
        List<float[]> out = new ArrayList<>();
        for (AdamUpdater u : updaters) {
            out.addAll(List.of(u.moments()));
        }
        return out;
    }

    /** @return updates taken so far (the bias correction's step count) */
    @Override
    public int step() {
        return step;
    }

    /**
     * Sets the update count, e.g. when training resumes from a checkpoint (with {@link #moments()} refilled).
     *
     * @param steps updates taken, at least 0
     */
    @Override
    public void resume(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("Adam step count must be at least 0, got " + steps);
        }
        this.step = steps;
    }

    /** @return their live gradient arrays, in the same order */
    List<float[]> gradients() {
        return grads;
    }

    /** @return copies of the gradient arrays, each cut to its parameter array's length, in the same order */
    float[][] gradientCopies() {
        float[][] copy = new float[grads.size()][];
        for (int i = 0; i < grads.size(); i++) {
            copy[i] = Arrays.copyOf(grads.get(i), params.get(i).length);
        }
        return copy;
    }

    /**
     * @param weightDecay the L2 coefficient
     * @return the L2 penalty {@code weightDecay / 2 * sum p^2} over the trainable arrays (what SameDiff adds to the
     *         loss it reports)
     */
    double penalty(double weightDecay) {
        if (weightDecay == 0) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < params.size(); i++) {
            s += FloatSums.sumOfSquares(params.get(i), 0, updaters.get(i).size());
        }
        return 0.5 * weightDecay * s;
    }

    /**
     * One Adam step with the gradients now in the gradient arrays.
     *
     * @param learningRate Adam's learning rate
     * @param weightDecay  L2 coefficient added to the gradients first (0 for none); the gradient arrays then hold
     *                     the decayed gradients
     */
    void update(double learningRate, double weightDecay) {
        update(learningRate, weightDecay, grads);
    }

    /**
     * One Adam step with given gradients (e.g. sums over chunks), in {@link #gradients()}'s order.
     *
     * @param learningRate Adam's learning rate
     * @param weightDecay  L2 coefficient added to the gradients first (0 for none)
     * @param gradients    one gradient array per trainable array
     */
    void update(double learningRate, double weightDecay, List<float[]> gradients) {
        step++;
        float decay = (float) weightDecay;
        for (int i = 0; i < params.size(); i++) {
            updaters.get(i).update(params.get(i), gradients.get(i), learningRate, step, decay);
        }
        changed.forEach(Runnable::run);
    }
}
