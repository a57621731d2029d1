package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.GraphVariables;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.TrainingImages;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained (or loaded) one-class graph seen from outside: computes {@value #FEATURES} for images in batches of
 * {@value #INFER_BATCH}, turns features into model outputs ({@link OutputKind#LATENT} and the squared distance to a
 * centre as {@link OutputKind#DISTANCE}), and writes and reads the trainable variables. Owns the graph's native
 * memory until {@link #close()}. Not thread-safe (the models synchronise).
 */
final class FeatureNetwork implements AutoCloseable {
    /** Image placeholder, {@code [batch, 1, H, W]}. */
    static final String INPUT = "input";
    /** Valid-pixel mask placeholder (1 valid, 0 invalid), {@code [batch, 1, H, W]}; the network sees image * mask. */
    static final String MASK = "mask";
    /** The features {@code phi(x)}, {@code [batch, repDim]}. */
    static final String FEATURES = "features";
    /** Images per {@code output} call. */
    static final int INFER_BATCH = 64;
    private static final int MAX_SIDE = 1 << 14;

    private final SameDiff graph;
    private final int height;
    private final int width;
    private final List<String> parameters;

    /**
     * @param graph      the graph, owned from now on
     * @param height     input height
     * @param width      input width
     * @param parameters the trainable variables, in serialisation order
     */
    FeatureNetwork(SameDiff graph, int height, int width, List<String> parameters) {
        this.graph = graph;
        this.height = height;
        this.width = width;
        this.parameters = List.copyOf(parameters);
    }

    /**
     * Checks training images: at least one, none null, one size whose sides suit the network, finite pixels.
     *
     * @param images the images
     * @param model  the model id, for messages
     * @return {height, width}
     */
    static int[] checkTraining(List<GrayImage> images, String model) {
        return TrainingImages.check(images, (h, w) -> BiasFreeEncoder.checkSides(h, w, model), null);
    }

    /** @return the graph */
    SameDiff graph() {
        return graph;
    }

    /** @return input height */
    int height() {
        return height;
    }

    /** @return input width */
    int width() {
        return width;
    }

    /**
     * @param images images of the network's input size
     * @return one feature vector per image
     * @throws IllegalArgumentException for a null image or one of another size
     */
    float[][] features(List<GrayImage> images) {
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("image " + i + " is null");
            }
            if (img.width() != width || img.height() != height) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                        + " but the model was trained on " + width + "x" + height + " images");
            }
        }
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += INFER_BATCH) {
            int n = Math.min(INFER_BATCH, images.size() - start);
            INDArray x = ImageArrays.pixels(images.subList(start, start + n), null, 0, n, height, width);
            INDArray m = ImageArrays.masks(images.subList(start, start + n), null, 0, n, height, width);
            INDArray f = graph.outputSingle(Map.of(INPUT, x, MASK, m), FEATURES);
            float[] all = GraphSupport.toFloats(f);
            int d = all.length / n;
            for (int b = 0; b < n; b++) {
                out[start + b] = Arrays.copyOfRange(all, b * d, (b + 1) * d);
            }
            x.close();
            m.close();
        }
        return out;
    }

    /**
     * @param features feature vectors, at least one
     * @return their mean
     */
    static float[] mean(float[][] features) {
        int d = features[0].length;
        double[] s = new double[d];
        for (float[] f : features) {
            for (int j = 0; j < d; j++) {
                s[j] += f[j];
            }
        }
        float[] m = new float[d];
        for (int j = 0; j < d; j++) {
            m[j] = (float) (s[j] / features.length);
        }
        return m;
    }

    /**
     * @param images   the images
     * @param features their features
     * @param centre   the centre distances are measured to
     * @return per image: {@link OutputKind#LATENT} = features, {@link OutputKind#DISTANCE} = squared Euclidean
     *         distance to the centre
     */
    static List<ModelOutput> outputs(List<GrayImage> images, float[][] features, float[] centre) {
        List<ModelOutput> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            float[] f = features[i];
            double s = 0;
            for (int j = 0; j < f.length; j++) {
                double d = (double) f[j] - centre[j];
                s += d * d;
            }
            out.add(ModelOutput.builder(images.get(i)).latent(f).scalar(OutputKind.DISTANCE, s).build());
        }
        return out;
    }

    /**
     * Trains the graph: sets the training configuration, builds the gradient function quietly and runs all epochs in
     * one {@code SameDiff.fit} call (the iterator reshuffles on each reset).
     *
     * @param config   the training configuration ({@link GraphSupport#trainingConfig})
     * @param batches  the mini-batches
     * @param listener where epoch reports go
     * @param epochs   epochs to train
     * @return the progress of the finished training
     */
    EpochLossListener fit(TrainingConfig config, OneClassBatches batches, ProgressListener listener, int epochs) {
        EpochLossListener progress = new EpochLossListener(listener, epochs, null, 0.0);
        graph.setTrainingConfig(config);
        GraphSupport.createQuietGradients(graph);
        graph.fit(batches, epochs, progress);
        return progress;
    }

    /**
     * @param images   training images
     * @param progress the finished training's progress
     * @return the training summary
     */
    static TrainingSummary summary(int images, EpochLossListener progress) {
        return new TrainingSummary(images, progress.epochsDone(), progress.lastLoss(), progress.imagesPerSecond(),
                progress.totalSeconds());
    }

    /**
     * Writes input height and width, then per trainable variable its name, rank, shape and float32 values.
     *
     * @param d the state body
     * @throws IOException when writing fails
     */
    void write(DataOutputStream d) throws IOException {
        d.writeInt(height);
        d.writeInt(width);
        d.writeInt(parameters.size());
        for (String name : parameters) {
            GraphVariables.write(d, graph, name);
        }
    }

    /**
     * Reads the input size written by {@link #write}.
     *
     * @param d    the state body
     * @param what the state's name, for messages
     * @return {height, width}
     * @throws IOException when a side is invalid for the network
     */
    static int[] readSize(DataInputStream d, String what) throws IOException {
        int h = StateFormat.readInt(d, "height", BiasFreeEncoder.STRIDE, MAX_SIDE, what);
        int w = StateFormat.readInt(d, "width", BiasFreeEncoder.STRIDE, MAX_SIDE, what);
        if (h % BiasFreeEncoder.STRIDE != 0 || w % BiasFreeEncoder.STRIDE != 0) {
            throw new IOException("corrupt " + what + " state: invalid input size " + w + "x" + h);
        }
        return new int[] {h, w};
    }

    /**
     * Reads the variables written by {@link #write} (after {@link #readSize}) into this network's graph.
     *
     * @param d    the state body
     * @param what the state's name, for messages
     * @throws IOException when names, shapes or counts differ
     */
    void readParameters(DataInputStream d, String what) throws IOException {
        int count = d.readInt();
        if (count != parameters.size()) {
            throw new IOException("corrupt " + what + " state: " + count + " variables, expected " + parameters.size());
        }
        for (String expected : parameters) {
            GraphVariables.read(d, graph, expected, what);
        }
    }

    /** Releases the graph's native memory. */
    @Override
    public void close() {
        GraphSupport.release(graph);
    }
}
