package io.github.deepc.anomaly.server;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.heatmap.HeatmapOverlay;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Scores uploaded image bytes with one detector: decodes them exactly as files are decoded for training (the
 * preferred {@link ImageDecoders decoder}, OpenCV where it is on the class path), scores, and renders the heat map.
 *
 * <p>Uploads are written to a file in the service's own folder only for the decoder (which reads files) and deleted
 * right after. Scoring is serialised on the detector, whose models are not documented as thread-safe; decoding and
 * rendering run concurrently.
 */
public final class ScoringService {
    private final AnomalyDetector detector;
    private final Path uploads;
    private final AtomicLong counter = new AtomicLong();

    /**
     * @param detector a fitted detector; the service does not close it
     * @param workDir  the only folder the service writes to (uploads live there for the time of one decode)
     * @throws IOException when the folder cannot be created
     */
    public ScoringService(AnomalyDetector detector, Path workDir) throws IOException {
        this.detector = Objects.requireNonNull(detector, "detector");
        if (!detector.isFitted()) {
            throw new IllegalArgumentException("the detector is not fitted: train it first");
        }
        this.uploads = Files.createDirectories(workDir.resolve("uploads"));
    }

    /**
     * One scored image.
     *
     * @param score      the outlier score (higher = more abnormal)
     * @param decision   1 abnormal, 0 normal, or -1 when the detector has no threshold
     * @param threshold  the detector's threshold, or null
     * @param image      the image as the detector saw it (after preprocessing)
     * @param heatmap    the heat map, or null when the scorer gives none
     */
    public record Result(double score, int decision, Threshold threshold, GrayImage image, GrayImage heatmap) {
    }

    /** @return the detector */
    public AnomalyDetector detector() {
        return detector;
    }

    /**
     * Decodes and scores image bytes.
     *
     * @param bytes the file's bytes (PNG, JPEG, TIFF, ... whatever the decoder reads)
     * @return the result
     * @throws IOException when the bytes are not an image the decoder reads; the message says so
     */
    public Result score(byte[] bytes) throws IOException {
        GrayImage image = decode(bytes);
        Detection d;
        synchronized (detector) {
            d = detector.score(image);
        }
        Threshold t = d.threshold();
        return new Result(d.score(), d.decision().orElse(-1), t, d.preprocessed(), d.heatmap());
    }

    private GrayImage decode(byte[] bytes) throws IOException {
        Path file = uploads.resolve("upload-" + counter.incrementAndGet() + ".bin");
        try {
            Files.write(file, bytes);
            return ImageDecoders.decode(file);
        } catch (IOException e) {
            // the message names our temporary file, which means nothing to the client
            String m = String.valueOf(e.getMessage()).replace(file.toString(), "the uploaded image");
            throw new IOException(m, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * @param image any grey image
     * @return it as PNG bytes
     * @throws IOException when encoding fails
     */
    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * The heat map over the image on a scale from 0 to {@code scale}.
     *
     * @param r     a result with a heat map
     * @param scale top of the colour scale
     * @return PNG bytes
     * @throws IOException when encoding fails
     */
    static byte[] overlayPng(Result r, double scale) throws IOException {
        return png(HeatmapOverlay.renderScaled(r.image(), r.heatmap(), 0.85, scale));
    }
}
