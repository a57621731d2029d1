package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        GrayImage first = images.get(0);
        if (first == null) {
            throw new IllegalArgumentException("training image 0 is null");
        }
        int h = first.height();
        int w = first.width();
        BiasFreeEncoder.checkSides(h, w, model);
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("training image " + i + " is null");
            }
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("training image " + i + " is " + img.width() + "x" + img.height()
                        + " but image 0 is " + w + "x" + h + "; all training images must have one size");
            }
            for (float v : img.unsafePixels()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("training image " + i + " has a non-finite pixel value " + v);
                }
            }
        }
        return new int[] {h, w};
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
            float[] all = SameDiffSupport.toFloats(f);
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
            INDArray arr = graph.getVariable(name).getArr();
            d.writeUTF(name);
            long[] shape = arr.shape();
            d.writeInt(shape.length);
            for (long s : shape) {
                d.writeLong(s);
            }
            StateFormat.writeFloats(d, SameDiffSupport.toFloats(arr));
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
            String name = d.readUTF();
            if (!name.equals(expected)) {
                throw new IOException("corrupt " + what + " state: variable '" + name + "' where '" + expected
                        + "' was expected");
            }
            INDArray target = graph.getVariable(name).getArr();
            long[] want = target.shape();
            int rank = d.readInt();
            if (rank != want.length) {
                throw new IOException("corrupt " + what + " state: variable " + name + " has rank " + rank
                        + ", expected " + want.length);
            }
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = d.readLong();
            }
            if (!Arrays.equals(shape, want)) {
                throw new IOException("corrupt " + what + " state: variable " + name + " has shape "
                        + Arrays.toString(shape) + ", expected " + Arrays.toString(want));
            }
            float[] values = StateFormat.readFloats(d, Math.toIntExact(target.length()), "variable " + name, what);
            target.assign(Nd4j.create(values, shape, DataType.FLOAT));
        }
    }

    /** Releases the graph's native memory. */
    @Override
    public void close() {
        SameDiffSupport.release(graph);
    }
}
