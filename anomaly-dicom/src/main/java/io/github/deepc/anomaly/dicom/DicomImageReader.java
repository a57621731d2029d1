package io.github.deepc.anomaly.dicom;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads DICOM images: one frame or all frames of a file as {@link GrayImage}s with float values that keep the
 * full precision of the file (16-bit and signed data included), and the header fields used for grouping.
 *
 * <p>Objects without pixel data and the non-image SOP classes (reports, structured reports, presentation
 * states, DICOMDIR, key objects) are refused with a {@link NotAnImageException}, which loaders skip with a note.
 */
public final class DicomImageReader {
    /** SOP class UID prefixes of objects that never hold an image to score. */
    private static final Set<String> NON_IMAGE_SOP_CLASS_PREFIXES = Set.of(
            "1.2.840.10008.5.1.4.1.1.88.", // structured reports, key object selection
            "1.2.840.10008.5.1.4.1.1.11.", // presentation states
            "1.2.840.10008.5.1.4.1.1.104.", // encapsulated PDF/CDA
            "1.2.840.10008.1.3.10"); // media storage directory (DICOMDIR)

    private final DicomReadOptions options;

    /** @param options how stored values become image values */
    public DicomImageReader(DicomReadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param file any file
     * @return whether its content looks like DICOM (magic at byte 128, or a preamble-less group 0002/0008 start)
     * @throws IOException when it cannot be read
     */
    public static boolean isDicom(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(132);
        }
        return DicomParser.looksLikeDicom(head);
    }

    /**
     * Reads the header only (stops before the pixel data).
     *
     * @param file a DICOM file
     * @return its header
     * @throws IOException when it is not DICOM or is malformed; the message names the file
     */
    public static DicomHeader readHeader(Path file) throws IOException {
        try {
            return DicomHeader.of(DicomParser.parse(file, false));
        } catch (RuntimeException e) {
            throw new DicomFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a DICOM image file
     * @return its first frame
     * @throws NotAnImageException  when the object holds no image
     * @throws DicomFormatException naming the file when it cannot be decoded (unsupported transfer syntax,
     *                              truncated pixel data, missing required tags...)
     * @throws IOException          when it cannot be read
     */
    public GrayImage readFirstFrame(Path file) throws IOException {
        return read(file, 0, 1).get(0);
    }

    /**
     * @param file   a DICOM image file
     * @param number frame number, from 1 as in DICOM
     * @return that frame
     * @throws DicomFormatException naming the file when the frame does not exist or cannot be decoded
     * @throws IOException          as {@link #readFirstFrame(Path)}
     */
    public GrayImage readFrame(Path file, int number) throws IOException {
        return read(file, number - 1, number).get(0);
    }

    /**
     * @param file a DICOM image file
     * @return every frame, in order
     * @throws IOException as {@link #readFirstFrame(Path)}
     */
    public List<GrayImage> readAllFrames(Path file) throws IOException {
        return read(file, 0, -1);
    }

    /** Frames [from, to) by 0-based index; {@code to} -1 for all. */
    private List<GrayImage> read(Path file, int from, int to) throws IOException {
        try {
            return decode(file, from, to);
        } catch (RuntimeException e) {
            // e.g. a number element holding text (wrong VR): name the file, keep the batch going
            throw new DicomFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private List<GrayImage> decode(Path file, int from, int toOrAll) throws IOException {
        DicomFile f = DicomParser.parse(file, true);
        refuseNonImages(f);
        PixelModule pm = PixelModule.of(f);
        PixelDecoder decoder = new PixelDecoder(f, pm);
        ValueTransforms transforms = new ValueTransforms(f, pm);
        int to = toOrAll < 0 ? pm.frames() : toOrAll;
        if (from < 0 || to > pm.frames()) {
            throw new DicomFormatException(file + ": frame " + to + " does not exist (Number of Frames " + pm.frames() + ")");
        }
        List<GrayImage> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            double[] v = grey(decoder.frame(i), pm);
            if (pm.monochrome()) {
                double[] range = transforms.modality(v);
                if (options.applyVoi()) {
                    double[] voiRange = transforms.voi(v);
                    if (voiRange != null) {
                        range = voiRange;
                    }
                }
                if (options.invertMonochrome1() && pm.photometric().equals("MONOCHROME1")) {
                    for (int k = 0; k < v.length; k++) {
                        v[k] = range[0] + range[1] - v[k];
                    }
                }
            }
            float[] px = new float[v.length];
            for (int k = 0; k < v.length; k++) {
                px[k] = (float) v[k];
            }
            out.add(GrayImage.wrap(pm.columns(), pm.rows(), px, null));
        }
        return out;
    }

    private static void refuseNonImages(DicomFile f) throws NotAnImageException {
        DicomHeader h = DicomHeader.of(f);
        for (String prefix : NON_IMAGE_SOP_CLASS_PREFIXES) {
            if (h.sopClassUid().startsWith(prefix)) {
                throw new NotAnImageException(f.path() + ": not an image (SOP class " + h.sopClassUid() + ")");
            }
        }
        if (f.data().contains(Tags.FLOAT_PIXEL_DATA) || f.data().contains(Tags.DOUBLE_PIXEL_DATA)) {
            return; // reported by the pixel decoder as unsupported, not skipped
        }
        if (!h.hasPixelData()) {
            throw new NotAnImageException(f.path() + ": not an image (no pixel data"
                    + (h.sopClassUid().isEmpty() ? "" : ", SOP class " + h.sopClassUid()) + ")");
        }
    }

    /**
     * Colour to grey as {@code ImageIoDecoder} does for RGB (ITU-R 601 luma); the first sample of YBR is luma
     * already (JPEG components are decoded raw, so this holds for JPEG too).
     */
    private static double[] grey(double[] samples, PixelModule pm) throws DicomFormatException {
        if (pm.samplesPerPixel() == 1) {
            if (pm.photometric().equals("PALETTE COLOR")) {
                throw new DicomFormatException("PALETTE COLOR images are not supported");
            }
            return samples;
        }
        double[] g = new double[pm.pixels()];
        boolean ybr = pm.photometric().startsWith("YBR") && !pm.photometric().equals("YBR_RCT")
                && !pm.photometric().equals("YBR_ICT");
        for (int i = 0; i < g.length; i++) {
            g[i] = ybr ? samples[3 * i]
                    : 0.299 * samples[3 * i] + 0.587 * samples[3 * i + 1] + 0.114 * samples[3 * i + 2];
        }
        return g;
    }
}
