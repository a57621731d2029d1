package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
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
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A one-class network seen from outside: its weights in a {@link ParameterStore} (the single source of truth and the
 * saved state's body; layout in {@link BiasFreeEncoder}), computed by the chosen {@link CaeEngine}: the direct engine
 * ({@link DirectFeatureNetwork}, computing on the store's arrays) or the SameDiff reference graph (built on demand
 * with a copy of the store's values, copied back after training). It computes the {@value #FEATURES} of images
 * {@link InferenceBatch} per pass on the direct engine (by default one, so that an image's features do not depend on
 * its batch) and in batches of
 * {@value #INFER_BATCH} on SameDiff, turns features into model outputs ({@link OutputKind#LATENT} and the squared
 * distance to a centre as {@link OutputKind#DISTANCE}), and writes and reads the store. Owns native memory until
 * {@link #close()}. Not thread-safe (the models synchronise).
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
    /** The state format that stored the SameDiff graph's variables (ND4J's layouts, long shapes). */
    static final int GRAPH_FORMAT_VERSION = 1;
    /** The state format whose network body is the parameter store ({@link ParameterStore#write}). */
    static final int STORE_FORMAT_VERSION = 2;
    private static final int MAX_SIDE = 1 << 14;
    private static final int MAX_RANK = 8;

    private final String model;
    private final ParameterStore store;
    private final int height;
    private final int width;
    private final int repDim;
    private final int classes;
    private final CaeEngine engine;
    private final int inferenceBatch;
    private final Supplier<SameDiff> graphFactory;
    private DirectFeatureNetwork inference;
    /**
     * One inference pass's pixels and masks, kept with {@link #inference}: scoring allocated them per call, megabytes
     * of garbage per call at 64 images per pass, whose fresh heap pages slowed a scoring run's first seconds.
     */
    private float[] passPixels;
    private float[] passMasks;
    private SameDiff graph;

    /**
     * @param model        the model's id, for messages
     * @param store        the weights ({@link BiasFreeEncoder#newStore}), owned from now on
     * @param height       input height
     * @param width        input width
     * @param repDim       features
     * @param classes      head classes, 0 for none
     * @param engine       what computes the network
     * @param inferenceBatch images per inference pass on the direct engine ({@link InferenceBatch})
     * @param graphFactory builds the network's SameDiff graph (zero variables) when the reference backend is needed
     */
    FeatureNetwork(String model, ParameterStore store, int height, int width, int repDim, int classes,
                   CaeEngine engine, int inferenceBatch, Supplier<SameDiff> graphFactory) {
        this.model = model;
        this.store = store;
        this.height = height;
        this.width = width;
        this.repDim = repDim;
        this.classes = classes;
        this.engine = engine;
        this.inferenceBatch = inferenceBatch;
        this.graphFactory = graphFactory;
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

    /** @return the weights (live) */
    ParameterStore store() {
        return store;
    }

    /** @return the engine computing the network */
    CaeEngine engine() {
        return engine;
    }

    /** @return features per image */
    int repDim() {
        return repDim;
    }

    /** @return head classes, 0 for none */
    int classes() {
        return classes;
    }

    /** @return the SameDiff graph holding the store's current values, built on first use */
    SameDiff graph() {
        if (graph == null) {
            SameDiff g = graphFactory.get();
            BiasFreeEncoder.copyToGraph(store, g);
            graph = g;
        }
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
        // the direct engine computes inferenceBatch images per pass; with one (the default) an image's features do not
        // depend on the others in its batch (see InferenceBatch)
        int step = engine == CaeEngine.DIRECT ? inferenceEngine().maxImages() : INFER_BATCH;
        float[] pixels = engine == CaeEngine.DIRECT ? passPixels : null;
        float[] masks = engine == CaeEngine.DIRECT ? passMasks : null;
        for (int start = 0; start < images.size(); start += step) {
            int n = Math.min(step, images.size() - start);
            List<GrayImage> batch = images.subList(start, start + n);
            float[] all;
            if (engine == CaeEngine.DIRECT) {
                ImageArrays.copyPixels(batch, null, 0, n, pixels);
                ImageArrays.copyMasks(batch, null, 0, n, masks);
                all = inferenceEngine().features(pixels, masks, n);
            } else {
                INDArray x = ImageArrays.pixels(batch, null, 0, n, height, width);
                INDArray m = ImageArrays.masks(batch, null, 0, n, height, width);
                all = GraphSupport.toFloats(graph().outputSingle(Map.of(INPUT, x, MASK, m), FEATURES));
                x.close();
                m.close();
            }
            int d = all.length / n;
            for (int b = 0; b < n; b++) {
                out[start + b] = Arrays.copyOfRange(all, b * d, (b + 1) * d);
            }
        }
        return out;
    }

    private DirectFeatureNetwork inferenceEngine() {
        if (inference == null) {
            long bytesPerImage = Float.BYTES
                    * DirectFeatureNetwork.floatsPerImage(BiasFreeEncoder.stages(), height, width, false);
            int perPass = InferenceBatch.imagesPerPass(model, inferenceBatch, bytesPerImage, width, height);
            inference = new DirectFeatureNetwork(BiasFreeEncoder.stages(), repDim, classes, height, width, perPass,
                    false, engineParameters());
            passPixels = new float[perPass * height * width];
            passMasks = new float[passPixels.length];
        }
        return inference;
    }

    /** @return the store's arrays in the engine's parameter order (shared, not copied) */
    float[][] engineParameters() {
        List<String> names = store.names();
        float[][] p = new float[names.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = store.values(names.get(i));
        }
        return p;
    }

    /**
     * Makes every backend built so far compute with the store's values after they changed outside it (a direct
     * training engine trained them, or they were loaded).
     */
    void parametersChanged() {
        if (inference != null) {
            inference.parametersChanged();
        }
        if (graph != null) {
            BiasFreeEncoder.copyToGraph(store, graph);
        }
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
     * Trains on the SameDiff reference graph: sets the training configuration, builds the gradient function quietly,
     * runs all epochs in one {@code SameDiff.fit} call (the iterator reshuffles on each reset) and copies the trained
     * values back into the store.
     *
     * @param config   the training configuration ({@link GraphSupport#trainingConfig})
     * @param batches  the mini-batches
     * @param listener where epoch reports go
     * @param epochs   epochs to train
     * @return the progress of the finished training
     */
    EpochLossListener fitGraph(TrainingConfig config, OneClassBatches batches, ProgressListener listener, int epochs) {
        EpochLossListener progress = new EpochLossListener(listener, epochs, null, 0.0);
        SameDiff g = graph();
        g.setTrainingConfig(config);
        GraphSupport.createQuietGradients(g);
        g.fit(batches, epochs, progress);
        BiasFreeEncoder.copyToStore(g, store);
        if (inference != null) {
            inference.parametersChanged();
        }
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
     * Writes input height and width, then the store ({@link ParameterStore#write}; format
     * {@value #STORE_FORMAT_VERSION}).
     *
     * @param d the state body
     * @throws IOException when writing fails
     */
    void write(DataOutputStream d) throws IOException {
        d.writeInt(height);
        d.writeInt(width);
        store.write(d);
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
     * Reads the weights (after {@link #readSize}) into the store: format {@value #STORE_FORMAT_VERSION} is the store's
     * body; format {@value #GRAPH_FORMAT_VERSION} held the graph's variables (name, rank, long shape, count, float32s,
     * in ND4J's layouts), which are converted.
     *
     * @param d       the state body
     * @param what    the state's name, for messages
     * @param version the state's format version
     * @throws IOException when names, shapes or counts differ
     */
    void readParameters(DataInputStream d, String what, int version) throws IOException {
        if (version == STORE_FORMAT_VERSION) {
            store.read(d, what);
        } else {
            readGraphVariables(d, what);
        }
        parametersChanged();
    }

    private void readGraphVariables(DataInputStream d, String what) throws IOException {
        List<String> names = store.names();
        int count = d.readInt();
        if (count != names.size()) {
            throw new IOException("corrupt " + what + " state: " + count + " variables, expected " + names.size());
        }
        for (String expected : names) {
            String name = d.readUTF();
            if (!name.equals(expected)) {
                throw new IOException("corrupt " + what + " state: variable '" + name + "' where '" + expected
                        + "' was expected");
            }
            int rank = StateFormat.readInt(d, "rank of " + name, 1, MAX_RANK, what);
            long n = 1;
            for (int i = 0; i < rank; i++) {
                long s = d.readLong();
                if (s < 1 || s > StateFormat.MAX_MATRIX_VALUES) {
                    throw new IOException("corrupt " + what + " state: variable " + name + " has dimension " + s);
                }
                n *= s;
            }
            int want = store.values(name).length;
            if (n != want) {
                throw new IOException("corrupt " + what + " state: variable " + name + " has " + n + " values, expected "
                        + want);
            }
            BiasFreeEncoder.fromGraphLayout(store, name, StateFormat.readFloats(d, want, "variable " + name, what));
        }
    }

    /** Releases the backends' native memory (the store stays readable). */
    @Override
    public void close() {
        if (inference != null) {
            inference.close();
            inference = null;
            passPixels = null;
            passMasks = null;
        }
        if (graph != null) {
            GraphSupport.release(graph);
            graph = null;
        }
    }
}
