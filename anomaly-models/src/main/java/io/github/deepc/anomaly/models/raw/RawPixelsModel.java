package io.github.deepc.anomaly.models.raw;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.state.StateFormat;
import io.github.deepc.anomaly.models.support.ImageChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code raw-pixels} pseudo-model: no training, its latent vector is the preprocessed image itself,
 * area-downsampled ({@link AreaResize}) to {@code size x size} and flattened row-major, invalid pixels counting as
 * 0. With a latent-space scorer ({@code knn}, {@code one-class-svm}, {@code dbscan}) it is a strong classical
 * baseline. Fitting only records the input size (later images must match it). Needs no native code; immutable once
 * fitted, all public methods are synchronized.
 */
public final class RawPixelsModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "raw-pixels";
    private static final Logger LOG = LoggerFactory.getLogger(RawPixelsModel.class);
    private static final int MAGIC = 0x52415701; // "RAW" + 1
    private static final int VERSION = 1;
    private static final String WHAT = "raw-pixels model";
    private static final int MAX_SIDE = 1 << 14;

    private final int size;
    private int width;
    private int height;

    /**
     * @param size side of the square latent image, in [1, 1024]
     */
    public RawPixelsModel(int size) {
        if (size < 1 || size > 1024) {
            throw new IllegalArgumentException("parameter raw-pixels.size must be in [1, 1024], got " + size);
        }
        this.size = size;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.LATENT);
    }

    /**
     * Records the input size.
     *
     * @throws IllegalArgumentException for no images or images of differing sizes
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        long start = System.nanoTime();
        ImageChecks.sameSize(normals);
        GrayImage first = normals.get(0);
        width = first.width();
        height = first.height();
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.debug("raw-pixels: {} training images of {}x{}, latent {}x{}", normals.size(), width, height, size, size);
        // no training loop: 0 epochs, loss 0 and no throughput figure
        return new TrainingSummary(normals.size(), 0, 0.0, 0.0, seconds);
    }

    /**
     * @throws IllegalStateException    when not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        if (width == 0) {
            throw new IllegalStateException("model not fitted");
        }
        List<ModelOutput> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            ImageChecks.fittedSize(img, i, width, height);
            out.add(ModelOutput.builder(img).latent(AreaResize.resize(img, size, size)).build());
        }
        return out;
    }

    /** Format: {@link StateFormat} framing around the latent side and the input width and height. */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        if (width == 0) {
            throw new IllegalStateException("model not fitted");
        }
        StateFormat.write(out, MAGIC, VERSION, d -> {
            d.writeInt(size);
            d.writeInt(width);
            d.writeInt(height);
        });
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        int[] wh = StateFormat.read(in, MAGIC, VERSION, WHAT, d -> {
            int s = d.readInt();
            if (s != size) {
                throw new IOException(WHAT + " state has size " + s + " but this model has size " + size);
            }
            return new int[] {StateFormat.readInt(d, "width", 1, MAX_SIDE, WHAT),
                    StateFormat.readInt(d, "height", 1, MAX_SIDE, WHAT)};
        });
        width = wh[0];
        height = wh[1];
    }

    @Override
    public synchronized String toString() {
        return "RawPixelsModel[size=" + size + (width == 0 ? ", not fitted" : ", input " + width + "x" + height) + "]";
    }
}
