package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNet;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * Stage {@code body-part-crop}: finds the body part (a hand, say) in a radiograph that shows more (forearm, the
 * other hand, the chest, text) and crops the image and its mask to it.
 *
 * <p><b>Detector network.</b> With a {@code model} file, detection runs an SSD-style detector (for instance an
 * SSD/MobileNet trained on the body part) through OpenCV's DNN module: {@code cv::dnn::readNet} reads TensorFlow
 * ({@code .pb}, with an optional {@code .pbtxt} {@code config}), ONNX ({@code .onnx}), Caffe, Darknet and the other
 * formats OpenCV knows, judged by the file extension. The image is min-max scaled to 0..255, replicated to
 * {@code channels} channels, and turned into a blob by {@code cv::dnn::blobFromImage} ({@code input-size} x
 * {@code input-size}, {@code (v - mean) * scale}, no cropping). The network must output SSD detections, a
 * {@code [1, 1, N, 7]} tensor of rows {@code (image_id, class, confidence, x1, y1, x2, y2)} with the box corners
 * normalised to [0, 1] ({@code DetectionOutput}). The detection with the highest confidence that is at least
 * {@code confidence} (and, when {@code class-id} is not -1, of that class) is grown by {@code margin} of its width
 * and height on every side and clamped to the image; the image is cropped to it. When no detection qualifies the
 * image is left unchanged with a note. The model is read and tried once on a blank image when the stage is
 * created, so a missing, corrupt or unsuitable file fails there, naming the stage, the parameter and the file.
 * OpenCV's {@code Net} is not thread-safe: calls are serialised on it (one forward pass at a time per stage
 * instance).
 *
 * <p><b>Classical fallback.</b> Without a model the stage uses a classical detector, tuned on hand radiographs
 * that also show forearm, elbow, the other hand or the chest: on a copy scaled to at most {@value #WORK_SIZE}
 * pixels, the tissue is separated from the background by a three-class Otsu threshold (after a Gaussian blur and
 * a morphological opening, without thin bright bands along the borders, and without components smaller than
 * {@code min-area} of the image such as letters), the density of Canny edges of a CLAHE-equalised copy marks the
 * finely structured part (fingers, carpals, joints), weighted towards the limb's free end, and the box is the
 * tissue, dim fingers included (adaptive threshold), around the densest region (the steps are documented in the
 * package-private {@code BodyPartHeuristic}). The box plus {@code margin} is the crop. When no tissue component
 * qualifies, the image is left unchanged with a note. On 48 hand radiographs of FracAtlas, evenly spaced over the
 * normal class, the crop contained the whole hand in 33 of the 35 images that show a hand (the others show an
 * elbow, a forearm or a chest only); on a second, disjoint sample of 48 not used for tuning, in 35 of 38.
 *
 * <p>Images without content (no valid pixel, constant, all black) and images with a side shorter than
 * {@value #MIN_SIDE} pixels are left unchanged with a note; 8- and 16-bit ranges behave alike (the detectors see
 * the min-max scaled copy). Pixel values are never changed.
 *
 * <p>Immutable and thread-safe.
 */
public final class BodyPartCropStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "body-part-crop";
    /** Longest side of the working copy of the classical detector. */
    public static final int WORK_SIZE = 256;
    /** Images with a shorter side are left unchanged. */
    public static final int MIN_SIDE = 8;
    /** Smallest accepted {@code input-size}. */
    public static final int MIN_INPUT_SIZE = 8;
    /** Largest accepted {@code input-size}. */
    public static final int MAX_INPUT_SIZE = 4096;
    /** Largest accepted {@code margin}. */
    public static final double MAX_MARGIN = 2.0;

    /**
     * Settings of the detector network.
     *
     * @param model      the network file
     * @param config     its text config (e.g. a TensorFlow {@code .pbtxt}), or {@code null}
     * @param inputSize  side of the square network input, in [{@value #MIN_INPUT_SIZE}, {@value #MAX_INPUT_SIZE}]
     * @param scale      blob scale factor, applied after the mean is subtracted; positive
     * @param mean       value subtracted from every 0..255 pixel before scaling, in [0, 255]
     * @param channels   input channels, 1 or 3 (the grey image is replicated)
     * @param confidence smallest accepted detection confidence, in [0, 1]
     * @param classId    the class to crop to, or -1 for any class
     */
    public record Network(Path model, Path config, int inputSize, double scale, double mean, int channels,
                          double confidence, int classId) {
        /** Validates the settings (not the files; that happens when the stage is created). */
        public Network {
            if (model == null) {
                throw new IllegalArgumentException("parameter " + ID + ".model is required for the detector network");
            }
            if (inputSize < MIN_INPUT_SIZE || inputSize > MAX_INPUT_SIZE) {
                throw new IllegalArgumentException("parameter " + ID + ".input-size=" + inputSize
                        + " is out of range; expected an integer in [" + MIN_INPUT_SIZE + ", " + MAX_INPUT_SIZE + "]");
            }
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("parameter " + ID + ".scale=" + scale + " is out of range; expected a positive number");
            }
            if (!(mean >= 0 && mean <= 255)) {
                throw new IllegalArgumentException("parameter " + ID + ".mean=" + mean + " is out of range; expected a number in [0, 255]");
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("parameter " + ID + ".channels=" + channels + " is not valid; expected 1 or 3");
            }
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new IllegalArgumentException("parameter " + ID + ".confidence=" + confidence
                        + " is out of range; expected a number in [0.0, 1.0]");
            }
            if (classId < -1) {
                throw new IllegalArgumentException("parameter " + ID + ".class-id=" + classId
                        + " is out of range; expected -1 (any class) or a class number >= 0");
            }
        }
    }

    private final Network network;
    private final Net net;
    private final Object netLock = new Object();
    private final double margin;
    private final double minArea;

    /**
     * A stage with the classical detector only.
     *
     * @param margin  fraction of the box's width and height added on every side, in [0, {@value #MAX_MARGIN}]
     * @param minArea smallest fraction of the image a tissue component must cover to count, in [0, 1]
     * @throws IllegalArgumentException naming the stage and parameter when a value is out of range
     */
    public BodyPartCropStage(double margin, double minArea) {
        this(null, margin, minArea);
    }

    /**
     * A stage with a detector network, or the classical detector when {@code network} is {@code null}.
     *
     * @param network the detector network settings, or {@code null}
     * @param margin  fraction of the box's width and height added on every side, in [0, {@value #MAX_MARGIN}]
     * @param minArea smallest fraction of the image the classical detector's component must cover, in [0, 1]
     * @throws IllegalArgumentException naming the stage, the parameter and the file when a file is missing,
     *                                  unreadable or not a network OpenCV can run, or when the network does not
     *                                  output SSD detections; or naming the parameter when a value is out of range
     */
    public BodyPartCropStage(Network network, double margin, double minArea) {
        if (!(margin >= 0 && margin <= MAX_MARGIN)) {
            throw new IllegalArgumentException("parameter " + ID + ".margin=" + margin + " is out of range; expected a number in [0.0, "
                    + MAX_MARGIN + "]");
        }
        if (!(minArea >= 0 && minArea <= 1)) {
            throw new IllegalArgumentException("parameter " + ID + ".min-area=" + minArea
                    + " is out of range; expected a number in [0.0, 1.0]");
        }
        this.network = network;
        this.margin = margin;
        this.minArea = minArea;
        this.net = network == null ? null : load(network);
    }

    private static void checkFile(String param, Path file) {
        String what = "parameter " + ID + "." + param + ": ";
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + "file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + "not a regular file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + "file is not readable: " + file);
        }
        try {
            if (Files.size(file) == 0) {
                throw new IllegalArgumentException(what + "file is empty (0 bytes): " + file);
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    private static Net load(Network n) {
        checkFile("model", n.model());
        if (n.config() != null) {
            checkFile("config", n.config());
        }
        String files = n.model() + (n.config() == null ? "" : " (config " + n.config() + ")");
        Net loaded;
        try {
            loaded = readNet(n.model().toAbsolutePath().toString(),
                    n.config() == null ? "" : n.config().toAbsolutePath().toString(), "");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("parameter " + ID + ".model: cannot read a network from " + files
                    + ": corrupt file or a format OpenCV's DNN module does not read (" + firstLine(e.getMessage()) + ")", e);
        }
        if (loaded == null || loaded.isNull() || loaded.empty()) {
            throw new IllegalArgumentException("parameter " + ID + ".model: " + files + " holds no network");
        }
        // keep the Net alive beyond any PointerScope the caller may have open; it is freed with the stage
        loaded.retainReference();
        // one forward pass on a blank image: an unsuitable network fails here, not on the first image
        try (PointerScope scope = Mats.scope()) {
            Mat blank = new Mat(n.inputSize(), n.inputSize(), CV_8U, new Scalar(128));
            float[] out = forward(loaded, n, blank, files);
            if (out.length % 7 != 0) {
                throw new IllegalArgumentException("parameter " + ID + ".model: the network in " + files
                        + " does not output SSD detections [1, 1, N, 7]");
            }
        } catch (RuntimeException e) {
            loaded.releaseReference();
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("parameter " + ID + ".model: the network in " + files
                    + " cannot run on a " + n.channels() + "-channel " + n.inputSize() + "x" + n.inputSize() + " input ("
                    + firstLine(e.getMessage()) + ")", e);
        }
        return loaded;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * Runs the network on an 8-bit grey image; the caller holds the Net's lock or owns the Net.
     *
     * @return the SSD rows, 7 values each
     */
    private static float[] forward(Net net, Network n, Mat u8, String files) {
        Mat in = u8;
        if (n.channels() == 3) {
            in = new Mat();
            cvtColor(u8, in, COLOR_GRAY2BGR);
        }
        Mat blob = blobFromImage(in, n.scale(), new Size(n.inputSize(), n.inputSize()),
                new Scalar(n.mean(), n.mean(), n.mean(), 0), false, false, CV_32F);
        net.setInput(blob);
        Mat out = net.forward();
        // the output Mat may share the Net's buffers: copy it out before the next call
        int dims = out.dims();
        int[] shape = new int[dims];
        for (int i = 0; i < dims; i++) {
            shape[i] = out.size(i);
        }
        if (out.type() != CV_32F || dims < 2 || shape[dims - 1] != 7) {
            throw new IllegalArgumentException("parameter " + ID + ".model: the network in " + files
                    + " does not output SSD detections [1, 1, N, 7]; its output has shape " + Arrays.toString(shape)
                    + " and type " + out.type());
        }
        Mat flat = (out.isContinuous() ? out : out.clone()).reshape(1, 1);
        return Mats.floats(flat);
    }

    /** @return the detector network settings, or empty for the classical detector */
    public Optional<Network> network() {
        return Optional.ofNullable(network);
    }

    /** @return the margin fraction */
    public double margin() {
        return margin;
    }

    /** @return the classical detector's smallest component fraction */
    public double minArea() {
        return minArea;
    }

    /**
     * Finds the body part without cropping.
     *
     * @param image the image
     * @return the region the stage would crop to (margin included), or empty when nothing was found
     */
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public Optional<CropRegion> locate(GrayImage image) {
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat valid = Mats.allValid(image) ? null : Mats.mask(image);
            Mat u8 = Gray8.toU8(pixels, valid, ID);
            if (u8 == null || image.width() < MIN_SIDE || image.height() < MIN_SIDE) {
                return Optional.empty();
            }
            return Optional.ofNullable(detect(u8, valid));
        }
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat valid = Mats.allValid(image) ? null : Mats.mask(image);
            Mat u8 = Gray8.toU8(pixels, valid, ID);
            if (u8 == null) {
                context.note("no content (no valid pixel or a constant image); image left unchanged");
                return image;
            }
            if (image.width() < MIN_SIDE || image.height() < MIN_SIDE) {
                context.note("image " + image.width() + "x" + image.height() + " is smaller than " + MIN_SIDE + "x" + MIN_SIDE
                        + "; image left unchanged");
                return image;
            }
            CropRegion r = detect(u8, valid);
            if (r == null) {
                context.note(net != null
                        ? "no detection with confidence >= " + network.confidence()
                                + (network.classId() >= 0 ? " of class " + network.classId() : "") + "; image left unchanged"
                        : "no tissue component covering >= " + minArea + " of the image; image left unchanged");
                return image;
            }
            if (r.coversWhole(image.width(), image.height())) {
                return image;
            }
            context.note("cropped to " + r);
            return Gray8.crop(image, pixels, r, null);
        }
    }

    private CropRegion detect(Mat u8, Mat valid) {
        int w = u8.cols();
        int h = u8.rows();
        CropRegion box = net != null ? detectNetwork(u8, w, h) : detectClassical(u8, valid, w, h);
        return box == null ? null : box.grow(margin, w, h);
    }

    private CropRegion detectNetwork(Mat u8, int w, int h) {
        float[] rows;
        synchronized (netLock) {
            rows = forward(net, network, u8, network.model().toString());
        }
        int best = -1;
        for (int i = 0; i + 7 <= rows.length; i += 7) {
            float conf = rows[i + 2];
            if (!(conf >= network.confidence()) || network.classId() >= 0 && Math.round(rows[i + 1]) != network.classId()) {
                continue;
            }
            if (best < 0 || conf > rows[best + 2]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        double x1 = clamp01(Math.min(rows[best + 3], rows[best + 5]));
        double y1 = clamp01(Math.min(rows[best + 4], rows[best + 6]));
        double x2 = clamp01(Math.max(rows[best + 3], rows[best + 5]));
        double y2 = clamp01(Math.max(rows[best + 4], rows[best + 6]));
        // outward to whole pixels, with a tolerance for float32 outputs (0.6f * 100 is 60.000002, not 61)
        int px1 = (int) Math.floor(x1 * w + EPS);
        int py1 = (int) Math.floor(y1 * h + EPS);
        int px2 = (int) Math.ceil(x2 * w - EPS);
        int py2 = (int) Math.ceil(y2 * h - EPS);
        px1 = Math.min(px1, w - 1);
        py1 = Math.min(py1, h - 1);
        return new CropRegion(px1, py1, Math.max(1, Math.min(w, px2) - px1), Math.max(1, Math.min(h, py2) - py1),
                "dnn class " + Math.round(rows[best + 1]) + " confidence " + Math.round(rows[best + 2] * 1000) / 1000.0);
    }

    private static final double EPS = 1e-3;

    private static double clamp01(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }

    private CropRegion detectClassical(Mat u8, Mat valid, int w, int h) {
        double f = Math.min(1.0, (double) WORK_SIZE / Math.max(w, h));
        int sw = Math.max(1, (int) Math.round(w * f));
        int sh = Math.max(1, (int) Math.round(h * f));
        Mat small = u8;
        Mat smallValid = valid;
        if (f < 1.0) {
            small = new Mat();
            resize(u8, small, new Size(sw, sh), 0, 0, INTER_AREA);
            if (valid != null) {
                smallValid = new Mat();
                resize(valid, smallValid, new Size(sw, sh), 0, 0, INTER_NEAREST);
            }
        }
        int[] box = BodyPartHeuristic.locate(small, smallValid, minArea);
        if (box == null) {
            return null;
        }
        int x0 = (int) Math.floor(box[0] / f);
        int y0 = (int) Math.floor(box[1] / f);
        int x1 = (int) Math.min(w, Math.ceil((box[0] + box[2]) / f));
        int y1 = (int) Math.min(h, Math.ceil((box[1] + box[3]) / f));
        x0 = Math.min(x0, w - 1);
        y0 = Math.min(y0, h - 1);
        return new CropRegion(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0), "tissue texture");
    }

    @Override
    public String toString() {
        return ID + "[" + (network == null ? "classical" : "model=" + network.model()) + ", margin=" + margin
                + ", min-area=" + minArea + "]";
    }
}
