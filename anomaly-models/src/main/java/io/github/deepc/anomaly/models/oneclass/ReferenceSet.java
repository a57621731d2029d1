package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.phantom.AnomalyKind;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.models.raw.AreaResize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labelled reference images of {@code deep-one-class}'s descriptiveness loss, brought to the training size:
 * either the class folders of a folder (each subfolder one class, sorted by name; images directly in the folder are
 * ignored; at least two classes) or {@value #PHANTOMS}, generated hand phantoms whose four {@link AnomalyKind}s
 * (NONE, FRACTURE, IMPLANT, LESION) are the classes.
 *
 * <p>Every image is prepared like the default pipeline prepares training images: the longest side is scaled to the
 * training size by area averaging ({@link AreaResize}), the image is centred and padded (padding marked invalid),
 * and the valid pixels are min-max normalised to [0, 1]. With more than {@code perClass} images in a class, a seeded
 * random subset is used. Immutable.
 */
final class ReferenceSet {
    /** The {@code reference} value selecting generated hand phantoms. */
    static final String PHANTOMS = "phantoms";
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceSet.class);

    private final List<GrayImage> images;
    private final int[] labels;
    private final List<String> classes;

    private ReferenceSet(List<GrayImage> images, int[] labels, List<String> classes) {
        this.images = List.copyOf(images);
        this.labels = labels;
        this.classes = List.copyOf(classes);
    }

    /**
     * @param reference {@value #PHANTOMS} or a class-folder path
     * @param height    training height
     * @param width     training width
     * @param perClass  most images per class (phantoms: exactly this many)
     * @param seed      phantom and subset seed
     * @return the reference set
     * @throws IllegalArgumentException naming the parameter when the folder is missing, has fewer than two classes
     *                                  or a class without readable images
     */
    static ReferenceSet load(String reference, int height, int width, int perClass, long seed) {
        return reference.equals(PHANTOMS) ? phantoms(height, width, perClass, seed)
                : folder(Path.of(reference), height, width, perClass, seed);
    }

    /** Generated hand phantoms, {@code perClass} of each kind. */
    static ReferenceSet phantoms(int height, int width, int perClass, long seed) {
        int side = Math.max(HandPhantomGenerator.MIN_SIZE, Math.min(HandPhantomGenerator.MAX_SIZE, Math.max(height, width)));
        HandPhantomGenerator gen = HandPhantomGenerator.ofSize(side);
        SplittableRandom rng = new SplittableRandom(seed);
        AnomalyKind[] kinds = AnomalyKind.values();
        List<String> classes = new ArrayList<>();
        int n = kinds.length * perClass;
        int[] labels = new int[n];
        long[] seeds = new long[n];
        for (AnomalyKind kind : kinds) {
            classes.add(kind.fileTag());
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i / perClass;
            seeds[i] = rng.nextLong();
        }
        // seeds are drawn up front, so the parallel result is the sequential one
        GrayImage[] images = new GrayImage[n];
        IntStream.range(0, n).parallel().forEach(i ->
                images[i] = letterbox(gen.generate(seeds[i], kinds[labels[i]]).image(), height, width));
        return new ReferenceSet(Arrays.asList(images), labels, classes);
    }

    /** The class folders of {@code root}. */
    static ReferenceSet folder(Path root, int height, int width, int perClass, long seed) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("parameter deep-one-class.reference=" + root
                    + " is not a folder (give a class-folder path or '" + PHANTOMS + "')");
        }
        Map<String, List<Sample>> byClass = new TreeMap<>();
        for (Sample s : ClassFolderLayout.withNormalClass("NORMAL").load(root).samples()) {
            if (!s.className().isEmpty()) {
                byClass.computeIfAbsent(s.className(), k -> new ArrayList<>()).add(s);
            }
        }
        if (byClass.size() < 2) {
            throw new IllegalArgumentException("parameter deep-one-class.reference=" + root + " needs at least 2 class"
                    + " subfolders with images, found " + byClass.keySet());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<GrayImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = new ArrayList<>(byClass.keySet());
        for (int c = 0; c < classes.size(); c++) {
            int loaded = 0;
            for (Sample s : subset(byClass.get(classes.get(c)), perClass, rng)) {
                try {
                    images.add(letterbox(DataSet.load(s), height, width));
                    labels.add(c);
                    loaded++;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("reference image skipped: {}", e.getMessage());
                }
            }
            if (loaded == 0) {
                throw new IllegalArgumentException("parameter deep-one-class.reference=" + root + ": class folder '"
                        + classes.get(c) + "' has no readable image");
            }
        }
        return new ReferenceSet(images, labels.stream().mapToInt(Integer::intValue).toArray(), classes);
    }

    private static List<Sample> subset(List<Sample> samples, int n, SplittableRandom rng) {
        if (samples.size() <= n) {
            return samples;
        }
        int[] idx = new int[samples.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, n);
        Arrays.sort(chosen);
        List<Sample> out = new ArrayList<>(n);
        for (int i : chosen) {
            out.add(samples.get(i));
        }
        return out;
    }

    /**
     * Scales the longest side to fit {@code width x height} (area averaging), centres and pads (padding invalid),
     * and min-max normalises the valid pixels to [0, 1].
     *
     * @param img    the image
     * @param height target height
     * @param width  target width
     * @return the prepared image
     */
    static GrayImage letterbox(GrayImage img, int height, int width) {
        double scale = Math.min((double) width / img.width(), (double) height / img.height());
        int tw = Math.max(1, Math.min(width, (int) Math.round(img.width() * scale)));
        int th = Math.max(1, Math.min(height, (int) Math.round(img.height() * scale)));
        float[] small = AreaResize.resize(img, tw, th);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : small) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float range = hi - lo;
        float[] px = new float[width * height];
        boolean[] mask = new boolean[width * height];
        int ox = (width - tw) / 2;
        int oy = (height - th) / 2;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                int i = (oy + y) * width + ox + x;
                px[i] = range > 0 ? (small[y * tw + x] - lo) / range : 0f;
                mask[i] = true;
            }
        }
        return GrayImage.wrap(width, height, px, mask);
    }

    /** @return the images, all of the training size */
    List<GrayImage> images() {
        return images;
    }

    /** @return each image's class index */
    int[] labels() {
        return labels;
    }

    /** @return the class names, by index */
    List<String> classes() {
        return classes;
    }

    /** @return the number of classes */
    int classCount() {
        return classes.size();
    }

    /** @return the number of images */
    int size() {
        return images.size();
    }
}
