package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A convolutional autoencoder trained with a masked MSE on normal images; its output is the reconstruction.
 *
 * <p>The {@code reference} architecture reproduces {@code reference_cae.py}: three stride-2 3x3 convolutions
 * (1&rarr;32&rarr;64&rarr;128, padding 1, ReLU) and three stride-2 3x3 transposed convolutions back
 * (128&rarr;64&rarr;32&rarr;1, padding 1, output padding 1, ReLU, final sigmoid), 185,217 parameters, PyTorch's
 * default initialisation, Adam. The loss is the per-image masked mean squared error over valid pixels
 * ({@code sum((out - x)^2 * mask) / max(sum(mask), 1)}), averaged over the batch.
 *
 * <p>Built with SameDiff (NCHW, float32) and trained with one {@code SameDiff.fit(iterator, epochs)} call over a
 * seeded, reshuffled-per-epoch iterator: the same seed gives the same weights and batch order, independent of
 * ND4J's global random generator. Image sides must be multiples of 8 (three stride-2 stages). The number of CPU
 * threads is ND4J's ({@code OMP_NUM_THREADS}).
 *
 * <p>Not thread-safe for concurrent fitting; all public methods are synchronized. Holds native memory until
 * {@link #close()}.
 */
public final class CaeModel implements AnomalyModel {
    private static final Logger LOG = LoggerFactory.getLogger(CaeModel.class);

    /** "CAE" + 0x1A, the first four bytes of a saved state. */
    static final int MAGIC = 0x4341451A;
    /** Version of the saved-state format. */
    static final int FORMAT_VERSION = 1;
    /** Images per {@code output} call in {@link #infer(List)}. */
    static final int INFER_BATCH = 64;
    private static final int MAX_SIDE = 1 << 14;

    private final String architecture;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;

    private SameDiff sd;
    private int height;
    private int width;

    /**
     * @param architecture architecture name, currently only {@code reference}
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @throws IllegalArgumentException for an unknown architecture or a value out of range
     */
    public CaeModel(String architecture, int epochs, int batchSize, double learningRate) {
        CaeGraph.layers(Objects.requireNonNull(architecture, "architecture")); // validates the name
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        this.architecture = architecture;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
    }

    /** @return the architecture name */
    public String architecture() {
        return architecture;
    }

    /** @return the number of trainable parameters of this model's architecture */
    public long parameterCount() {
        return CaeGraph.parameterCount(architecture);
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.RECONSTRUCTION);
    }

    /**
     * Trains a freshly initialised network (any previous fit or loaded state is discarded).
     *
     * @throws IllegalArgumentException for no images, images of differing sizes (naming the index and both sizes),
     *                                  sides that are not multiples of 8, or non-finite pixel values
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        if (normals.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        GrayImage first = normals.get(0);
        if (first == null) {
            throw new IllegalArgumentException("training image 0 is null");
        }
        int h = first.height();
        int w = first.width();
        checkSides(h, w);
        for (int i = 0; i < normals.size(); i++) {
            GrayImage img = normals.get(i);
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

        release();
        SplittableRandom root = new SplittableRandom(context.seed());
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        EpochProgressListener progress = new EpochProgressListener(context.listener(), epochs);
        LOG.debug("training CAE ({}) on {} images of {}x{}: {} epochs, batch {}, lr {}", architecture,
                normals.size(), w, h, epochs, batchSize, learningRate);
        SameDiff graph = null;
        try {
            graph = CaeGraph.build(architecture, h, w, initRng);
            graph.setTrainingConfig(trainingConfig(learningRate));
            GradientFunctions.create(graph);
            // one fit call over all epochs: the iterator reshuffles on each reset
            graph.fit(new ShuffledImageIterator(normals, batchSize, h, w, shuffleRng), epochs, progress);
        } catch (RuntimeException | Error e) {
            if (graph != null) {
                closeArrays(graph);
            }
            throw e;
        }
        this.sd = graph;
        this.height = h;
        this.width = w;
        double seconds = progress.totalSeconds();
        double ips = seconds > 0 ? progress.totalImages() / seconds : Double.POSITIVE_INFINITY;
        LOG.info("CAE trained on {} images ({}x{}), {} epochs: loss {}, {} images/s", normals.size(), w, h,
                progress.epochsDone(), String.format(Locale.ROOT, "%.6f", progress.lastLoss()),
                String.format(Locale.ROOT, "%.1f", ips));
        return new TrainingSummary(normals.size(), progress.epochsDone(), progress.lastLoss(), ips, seconds);
    }

    /** The training configuration: Adam, images and masks from the iterator, loss computed every iteration. */
    @SuppressWarnings("rawtypes") // ND4J declares the evaluation map with the raw IEvaluation type
    private static TrainingConfig trainingConfig(double learningRate) {
        TrainingConfig config = new TrainingConfig.Builder()
                .updater(new Adam(learningRate))
                .dataSetFeatureMapping(CaeGraph.INPUT)
                .dataSetLabelMapping(CaeGraph.MASK)
                .minimize(CaeGraph.LOSS)
                .build();
        // SameDiff 1.0.0-M2.1 computes only what the gradients need, and the gradient of a mean does not need the
        // mean itself: the loss op would be skipped and listeners would see a loss of 0. Its training session does
        // compute the variables named as train evaluations, so name the loss there with no evaluation attached.
        Map<String, List<IEvaluation>> evaluations = new HashMap<>();
        evaluations.put(CaeGraph.LOSS, new ArrayList<>());
        config.setTrainEvaluations(evaluations);
        Map<String, Integer> evaluationLabels = new HashMap<>();
        evaluationLabels.put(CaeGraph.LOSS, 0);
        config.setTrainEvaluationLabels(evaluationLabels);
        return config;
    }

    private static void checkSides(int h, int w) {
        if (h % CaeGraph.REFERENCE_STRIDE != 0 || w % CaeGraph.REFERENCE_STRIDE != 0) {
            throw new IllegalArgumentException("CAE input sides must be multiples of " + CaeGraph.REFERENCE_STRIDE
                    + " (three stride-2 stages), got " + w + "x" + h);
        }
    }

    /**
     * @throws IllegalStateException    when the model is not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        SameDiff graph = requireFitted();
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
        int px = height * width;
        List<ModelOutput> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += INFER_BATCH) {
            int n = Math.min(INFER_BATCH, images.size() - start);
            float[] buf = new float[n * px];
            for (int b = 0; b < n; b++) {
                System.arraycopy(images.get(start + b).unsafePixels(), 0, buf, b * px, px);
            }
            INDArray input = Nd4j.create(buf, new long[] {n, 1, height, width}, DataType.FLOAT);
            INDArray rec = graph.outputSingle(Map.of(CaeGraph.INPUT, input), CaeGraph.OUTPUT);
            float[] all = toFloats(rec);
            for (int b = 0; b < n; b++) {
                float[] r = Arrays.copyOfRange(all, b * px, (b + 1) * px);
                out.add(ModelOutput.builder(images.get(start + b)).reconstruction(r).build());
            }
        }
        return out;
    }

    private SameDiff requireFitted() {
        if (sd == null) {
            throw new IllegalStateException("model not fitted");
        }
        return sd;
    }

    private static float[] toFloats(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a.dup('c') : a.castTo(DataType.FLOAT).dup('c');
        float[] v = f.data().asFloat();
        if (v.length != a.length()) {
            throw new IllegalStateException("unexpected buffer length " + v.length + " for " + a.shapeInfoToString());
        }
        f.close();
        return v;
    }

    /**
     * Format (big-endian, {@link DataOutputStream}): magic, format version, architecture (UTF), input height and
     * width, number of variables, then per trainable variable its name (UTF), rank, shape (longs), value count and
     * float32 values in row-major order; finally a CRC-32 of everything before it.
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        SameDiff graph = requireFitted();
        CRC32 crc = new CRC32();
        DataOutputStream d = new DataOutputStream(new CheckedOutputStream(out, crc));
        d.writeInt(MAGIC);
        d.writeInt(FORMAT_VERSION);
        d.writeUTF(architecture);
        d.writeInt(height);
        d.writeInt(width);
        List<String> names = CaeGraph.parameterNames(architecture);
        d.writeInt(names.size());
        for (String name : names) {
            INDArray arr = graph.getVariable(name).getArr();
            long[] shape = arr.shape();
            float[] values = toFloats(arr);
            d.writeUTF(name);
            d.writeInt(shape.length);
            for (long s : shape) {
                d.writeLong(s);
            }
            d.writeInt(values.length);
            ByteBuffer bb = ByteBuffer.allocate(values.length * Float.BYTES);
            bb.asFloatBuffer().put(values);
            d.write(bb.array());
        }
        d.flush();
        // the checksum itself is written outside the checked stream
        new DataOutputStream(out).writeInt((int) crc.getValue());
        out.flush();
    }

    /**
     * Restores a state written by {@link #writeState(OutputStream)}; the architecture must match this model's.
     *
     * @throws IOException when the state is truncated, corrupt (bad magic, version, sizes, names, shapes or
     *                     checksum) or for another architecture
     */
    @Override
    public synchronized void readState(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        CRC32 crc = new CRC32();
        DataInputStream d = new DataInputStream(new CheckedInputStream(in, crc));
        SameDiff graph = null;
        try {
            int magic = d.readInt();
            if (magic != MAGIC) {
                throw new IOException("not a CAE model state (bad magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = d.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("unsupported CAE state format version " + version + " (supported: "
                        + FORMAT_VERSION + ")");
            }
            String arch = d.readUTF();
            if (!arch.equals(architecture)) {
                throw new IOException("CAE state is for architecture '" + arch + "' but this model is '"
                        + architecture + "'");
            }
            int h = d.readInt();
            int w = d.readInt();
            if (h < 1 || w < 1 || h > MAX_SIDE || w > MAX_SIDE
                    || h % CaeGraph.REFERENCE_STRIDE != 0 || w % CaeGraph.REFERENCE_STRIDE != 0) {
                throw new IOException("corrupt CAE state: invalid input size " + w + "x" + h);
            }
            List<String> names = CaeGraph.parameterNames(architecture);
            int count = d.readInt();
            if (count != names.size()) {
                throw new IOException("corrupt CAE state: " + count + " variables, expected " + names.size());
            }
            graph = CaeGraph.build(architecture, h, w, null);
            for (String expected : names) {
                String name = d.readUTF();
                if (!name.equals(expected)) {
                    throw new IOException("corrupt CAE state: variable '" + name + "' where '" + expected
                            + "' was expected");
                }
                INDArray target = graph.getVariable(name).getArr();
                long[] want = target.shape();
                int rank = d.readInt();
                if (rank != want.length) {
                    throw new IOException("corrupt CAE state: variable " + name + " has rank " + rank
                            + ", expected " + want.length);
                }
                long[] shape = new long[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = d.readLong();
                }
                if (!Arrays.equals(shape, want)) {
                    throw new IOException("corrupt CAE state: variable " + name + " has shape "
                            + Arrays.toString(shape) + ", expected " + Arrays.toString(want));
                }
                int n = d.readInt();
                if (n != target.length()) {
                    throw new IOException("corrupt CAE state: variable " + name + " has " + n + " values, expected "
                            + target.length());
                }
                byte[] bytes = new byte[n * Float.BYTES];
                d.readFully(bytes);
                float[] values = new float[n];
                ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
                target.assign(Nd4j.create(values, shape, DataType.FLOAT));
            }
            long computed = crc.getValue();
            int stored = new DataInputStream(in).readInt();
            if (stored != (int) computed) {
                throw new IOException("corrupt CAE state: checksum mismatch");
            }
            release();
            this.sd = graph;
            this.height = h;
            this.width = w;
            graph = null;
        } catch (EOFException e) {
            throw new IOException("corrupt CAE state: truncated", e);
        } finally {
            if (graph != null) {
                closeArrays(graph);
            }
        }
    }

    /** Releases the graph's native arrays; the model is then unfitted and may be fitted or loaded again. */
    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        if (sd != null) {
            closeArrays(sd);
            sd = null;
        }
    }

    /**
     * Best-effort release of a graph's native memory: variable and constant arrays, Adam state, the gradient
     * function's arrays and cached inference sessions. Whatever is left is freed when the graph is
     * garbage-collected.
     */
    @SuppressWarnings({"rawtypes", "unchecked"}) // ND4J's updater map uses the raw GradientUpdater type
    private static void closeArrays(SameDiff graph) {
        try {
            SameDiff grad = graph.getFunction("grad");
            if (grad != null) {
                closeVariableArrays(grad);
            }
            Map<String, GradientUpdater> updaters = graph.getUpdaterMap();
            if (updaters != null) {
                for (GradientUpdater u : updaters.values()) {
                    Map<String, INDArray> state = u.getState();
                    if (state != null) {
                        state.values().forEach(CaeModel::closeQuietly);
                    }
                }
            }
            closeVariableArrays(graph);
            graph.getSessions().clear();
        } catch (RuntimeException e) {
            LOG.debug("could not release all CAE arrays", e);
        }
    }

    private static void closeVariableArrays(SameDiff graph) {
        graph.clearPlaceholders(true);
        graph.clearOpInputs();
        for (SDVariable v : graph.variables()) {
            VariableType t = v.getVariableType();
            if (t == VariableType.VARIABLE || t == VariableType.CONSTANT) {
                closeQuietly(v.getArr());
            }
        }
    }

    private static void closeQuietly(INDArray a) {
        try {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        } catch (RuntimeException e) {
            LOG.trace("array not closed", e);
        }
    }

    /** Package-private for tests: the live graph, or null. */
    SameDiff graph() {
        return sd;
    }

    @Override
    public String toString() {
        return "CaeModel[" + architecture + ", epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate
                + (sd == null ? ", not fitted" : ", " + width + "x" + height) + "]";
    }
}
