package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * After each epoch, computes the training loss on held-out images (in inference batches, without updating anything)
 * and reports it as {@value TrainingOptions#VALIDATION_LOSS}; with a patience it stops training when the loss has not
 * improved for that many epochs and keeps a copy of the best epoch's weights (on the Java heap) for
 * {@link #restoreBest()}. The VAE's noise is drawn once per held-out image, so that the validation loss depends on the
 * weights only.
 */
final class ValidationMonitor implements EpochLossListener.EpochEnd {
    private final SameDiff graph;
    private final CaeGraph.Spec spec;
    private final List<GrayImage> images;
    private final int height;
    private final int width;
    private final float[] noise;
    private final EarlyStopping stopping;
    private final boolean keepBest;
    private final List<String> parameters;
    private float[][] best;

    /**
     * @param graph    the graph being trained
     * @param spec     its network
     * @param images   held-out images, at least one
     * @param height   image height
     * @param width    image width
     * @param patience epochs without improvement before stopping, 0 for never
     * @param noiseRng source of the VAE's fixed validation noise
     */
    ValidationMonitor(SameDiff graph, CaeGraph.Spec spec, List<GrayImage> images, int height, int width, int patience,
                      SplittableRandom noiseRng) {
        this.graph = graph;
        this.spec = spec;
        this.images = images;
        this.height = height;
        this.width = width;
        this.stopping = new EarlyStopping(patience);
        this.keepBest = patience > 0;
        this.parameters = spec.parameterNames(height, width);
        if (spec.variational()) {
            noise = new float[images.size() * spec.latent()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) noiseRng.nextGaussian();
            }
        } else {
            noise = null;
        }
    }

    @Override
    public boolean afterEpoch(int epoch, Map<String, Double> extra) {
        double loss = loss();
        extra.put(TrainingOptions.VALIDATION_LOSS, loss);
        if (stopping.update(loss) && keepBest) {
            best = snapshot();
        }
        return stopping.shouldStop();
    }

    /** @return the mean loss over the held-out images */
    double loss() {
        double sum = 0;
        for (int start = 0; start < images.size(); start += ConvAutoencoder.INFER_BATCH) {
            int n = Math.min(ConvAutoencoder.INFER_BATCH, images.size() - start);
            Map<String, INDArray> ph = new HashMap<>();
            ph.put(CaeGraph.INPUT, ImageArrays.pixels(images, null, start, n, height, width));
            ph.put(CaeGraph.MASK, ImageArrays.masks(images, null, start, n, height, width));
            if (noise != null) {
                int k = spec.latent();
                float[] eps = new float[n * k];
                System.arraycopy(noise, start * k, eps, 0, eps.length);
                ph.put(CaeGraph.NOISE, Nd4j.create(eps, new long[] {n, k}, DataType.FLOAT));
            }
            INDArray loss = graph.output(ph, CaeGraph.LOSS).get(CaeGraph.LOSS);
            sum += loss.getDouble(0) * n; // the loss is a batch mean
        }
        return sum / images.size();
    }

    private float[][] snapshot() {
        float[][] copy = new float[parameters.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = GraphSupport.toFloats(graph.getVariable(parameters.get(i)).getArr());
        }
        return copy;
    }

    /**
     * Puts the best epoch's weights back into the graph when early stopping kept them and it was not the last epoch.
     *
     * @return whether weights were restored
     */
    boolean restoreBest() {
        if (best == null || stopping.bestEpoch() == stopping.epochs()) {
            return false;
        }
        for (int i = 0; i < best.length; i++) {
            SDVariable v = graph.getVariable(parameters.get(i));
            if (v.getVariableType() != VariableType.VARIABLE) {
                throw new IllegalStateException(parameters.get(i) + " is not a trainable variable");
            }
            INDArray target = v.getArr();
            target.assign(Nd4j.create(best[i], target.shape(), DataType.FLOAT));
        }
        return true;
    }

    /** @return the early-stopping state */
    EarlyStopping stopping() {
        return stopping;
    }
}
