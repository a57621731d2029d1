package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.bitwise_not;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A before/after contact sheet: a grid of image pairs, each an original beside what a pipeline made of it, so that a
 * person can see at a glance what the preprocessing did.
 *
 * <p>Each image is shown in a square cell of {@code cell} pixels, fitted with its aspect ratio kept (shrunk by area
 * averaging, enlarged by nearest neighbour so that pixels stay visible) on a dark grey background, its valid range
 * stretched to black..white. Invalid pixels (of either image) are tinted dark red. Every pair is captioned with
 * its label (Hershey font, drawn by OpenCV, so no system fonts are needed). The sheet is written as a PNG.
 * Stateless and thread-safe.
 */
public final class ContactSheet {
    /** Height of a pair's caption strip, in pixels. */
    static final int CAPTION = 16;
    /** Gap between cells and pairs, in pixels. */
    static final int GAP = 6;
    private static final double BACKGROUND = 40;
    private static final double CELL_BACKGROUND = 70;
    private static final double TEXT = 230;

    /**
     * One pair of the sheet.
     *
     * @param label     caption, e.g. the file's relative path
     * @param original  the image before the pipeline (any size; a small copy is enough)
     * @param processed the pipeline's output
     */
    public record Pair(String label, GrayImage original, GrayImage processed) {
        /** Checks for nulls. */
        public Pair {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(processed, "processed");
        }
    }

    private ContactSheet() {
    }

    /**
     * Renders pairs into a sheet and writes it as PNG, creating the parent folders.
     *
     * @param pairs        the pairs, in reading order (at least one)
     * @param cell         side of each image's square cell, in [16, 1024]
     * @param pairsPerRow  pairs side by side in a row, in [1, 16]
     * @param file         the PNG to write
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when there is no pair or a size is out of range
     */
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public static void writePng(List<Pair> pairs, int cell, int pairsPerRow, Path file) throws IOException {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("a contact sheet needs at least one image pair");
        }
        if (cell < 16 || cell > 1024) {
            throw new IllegalArgumentException("contact sheet cell size " + cell + " is out of range; expected [16, 1024]");
        }
        if (pairsPerRow < 1 || pairsPerRow > 16) {
            throw new IllegalArgumentException("contact sheet pairs per row " + pairsPerRow + " is out of range; expected [1, 16]");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int cols = Math.min(pairsPerRow, pairs.size());
        int rows = (pairs.size() + cols - 1) / cols;
        int pairWidth = 2 * cell + GAP;
        int width = GAP + cols * (pairWidth + 2 * GAP);
        int height = GAP + rows * (CAPTION + cell + GAP);
        try (PointerScope scope = Mats.scope()) {
            Mat sheet = new Mat(height, width, CV_8UC3, grey(BACKGROUND));
            for (int i = 0; i < pairs.size(); i++) {
                Pair p = pairs.get(i);
                int x = GAP + (i % cols) * (pairWidth + 2 * GAP);
                int y = GAP + (i / cols) * (CAPTION + cell + GAP);
                putText(sheet, caption(p.label(), pairWidth), new Point(x, y + CAPTION - 4), FONT_HERSHEY_SIMPLEX, 0.4, grey(TEXT), 1,
                        LINE_AA, false);
                draw(sheet, p.original(), x, y + CAPTION, cell);
                draw(sheet, p.processed(), x + cell + GAP, y + CAPTION, cell);
            }
            boolean ok;
            try {
                ok = imwrite(file.toAbsolutePath().toString(), sheet);
            } catch (RuntimeException e) {
                throw new IOException("cannot write contact sheet " + file + ": " + e.getMessage(), e);
            }
            if (!ok) {
                throw new IOException("cannot write contact sheet " + file + " (OpenCV imwrite failed)");
            }
        }
    }

    private static Scalar grey(double v) {
        return new Scalar(v, v, v, 0);
    }

    private static String caption(String label, int width) {
        // about 7 pixels per character at scale 0.4; keep the end of long paths (the file name)
        int max = Math.max(4, width / 7);
        String ascii = label.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() <= max ? ascii : "..." + ascii.substring(ascii.length() - max + 3);
    }

    private static void draw(Mat sheet, GrayImage image, int x, int y, int cell) {
        Mat grey = GrayPngWriter.grey8(image);
        Mat bgr = new Mat();
        cvtColor(grey, bgr, COLOR_GRAY2BGR);
        if (!Mats.allValid(image)) {
            Mat invalid = new Mat();
            bitwise_not(Mats.mask(image), invalid);
            Mat red = new Mat(bgr.rows(), bgr.cols(), CV_8UC3, new Scalar(0, 0, 150, 0));
            Mat tinted = new Mat();
            addWeighted(bgr, 0.35, red, 0.65, 0.0, tinted);
            tinted.copyTo(bgr, invalid);
        }
        double scale = Math.min((double) cell / image.width(), (double) cell / image.height());
        int w = (int) Math.max(1, Math.min(cell, Math.round(image.width() * scale)));
        int h = (int) Math.max(1, Math.min(cell, Math.round(image.height() * scale)));
        Mat fitted = new Mat();
        resize(bgr, fitted, new Size(w, h), 0, 0, scale < 1 ? INTER_AREA : INTER_NEAREST);
        new Mat(sheet, new Rect(x, y, cell, cell)).put(grey(CELL_BACKGROUND));
        fitted.copyTo(new Mat(sheet, new Rect(x + (cell - w) / 2, y + (cell - h) / 2, w, h)));
    }
}
