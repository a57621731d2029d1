package io.github.deepc.anomaly.core.phantom;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Writes phantoms as a class-folder data set of 8-bit grey PNGs:
 * {@code ROOT/NORMAL/phantom-<seed>.png} and {@code ROOT/ABNORMAL/phantom-<seed>-<kind>.png}.
 *
 * <p>Normals get the seeds {@code seed .. seed + normals - 1} and abnormals the following ones, so no seed, and no
 * patient, occurs twice: the file name without extension, {@code phantom-<seed>...}, is each image's patient id
 * (as {@code PatientIds.fromFileName()} of anomaly-core reads it). Abnormals cycle through the
 * anomaly kinds as {@link HandPhantomGenerator#abnormals(long, int)} does. Ground-truth masks are not written by
 * {@link #write}; {@link #writeMasks} writes them to a separate folder, which must not sit beside the class folders
 * (a loader would take it for another class).
 */
public final class PhantomDataSetWriter {
    /** Folder of the normal class. */
    public static final String NORMAL_DIR = "NORMAL";
    /** Folder of the abnormal class. */
    public static final String ABNORMAL_DIR = "ABNORMAL";

    private final HandPhantomGenerator generator;

    /**
     * @param generator renders the phantoms
     */
    public PhantomDataSetWriter(HandPhantomGenerator generator) {
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /**
     * What a call wrote.
     *
     * @param root          the folder written to
     * @param normalFiles   the normal images (for {@link #writeMasks}: none), in seed order
     * @param abnormalFiles the abnormal images (for {@link #writeMasks}: their masks), in seed order
     */
    public record Result(Path root, List<Path> normalFiles, List<Path> abnormalFiles) {
        /**
         * Copies the lists.
         *
         * @param root          the folder written to
         * @param normalFiles   the normal images
         * @param abnormalFiles the abnormal images or masks
         */
        public Result {
            Objects.requireNonNull(root, "root");
            normalFiles = List.copyOf(normalFiles);
            abnormalFiles = List.copyOf(abnormalFiles);
        }

        /** @return every file written, normals first */
        public List<Path> files() {
            List<Path> all = new ArrayList<>(normalFiles);
            all.addAll(abnormalFiles);
            return List.copyOf(all);
        }

        /** @return the number of files written */
        public int count() {
            return normalFiles.size() + abnormalFiles.size();
        }
    }

    /**
     * Writes {@code normals} normal and {@code abnormals} abnormal phantoms below {@code root}, creating folders
     * as needed and replacing files of the same name.
     *
     * @param root      data set root
     * @param normals   number of normal images, at least 0
     * @param abnormals number of abnormal images, at least 0
     * @param seed      seed of the first normal image; the others follow consecutively
     * @return the files written
     * @throws IOException when a folder or file cannot be written
     */
    public Result write(Path root, int normals, int abnormals, long seed) throws IOException {
        Objects.requireNonNull(root, "root");
        checkCounts(normals, abnormals);
        List<Path> normalFiles = new ArrayList<>(normals);
        if (normals > 0) {
            Path dir = Files.createDirectories(root.resolve(NORMAL_DIR));
            for (int i = 0; i < normals; i++) {
                Phantom p = generator.generate(seed + i, AnomalyKind.NONE);
                normalFiles.add(writePng(p.image(), dir.resolve(fileName(p))));
            }
        }
        List<Path> abnormalFiles = new ArrayList<>(abnormals);
        if (abnormals > 0) {
            Path dir = Files.createDirectories(root.resolve(ABNORMAL_DIR));
            for (Phantom p : generator.abnormals(seed + normals, abnormals)) {
                abnormalFiles.add(writePng(p.image(), dir.resolve(fileName(p))));
            }
        }
        return new Result(root, normalFiles, abnormalFiles);
    }

    /**
     * Writes the ground-truth masks (255 on anomaly pixels, 0 elsewhere) of the abnormal images that
     * {@link #write} writes with the same arguments, as {@code maskRoot/phantom-<seed>-<kind>.png}, the same file
     * names as the images. Normal images have empty masks and get none.
     *
     * @param maskRoot  folder for the masks; must not be a sibling of {@value #NORMAL_DIR} or
     *                  {@value #ABNORMAL_DIR} class folders
     * @param normals   the {@code normals} given to {@link #write}
     * @param abnormals the {@code abnormals} given to {@link #write}
     * @param seed      the {@code seed} given to {@link #write}
     * @return the mask files, as {@link Result#abnormalFiles()}
     * @throws IOException              when a folder or file cannot be written
     * @throws IllegalArgumentException when {@code maskRoot} sits beside class folders
     */
    public Result writeMasks(Path maskRoot, int normals, int abnormals, long seed) throws IOException {
        Objects.requireNonNull(maskRoot, "maskRoot");
        checkCounts(normals, abnormals);
        Path parent = maskRoot.toAbsolutePath().normalize().getParent();
        if (parent != null && (Files.isDirectory(parent.resolve(NORMAL_DIR))
                || Files.isDirectory(parent.resolve(ABNORMAL_DIR)))) {
            throw new IllegalArgumentException("mask folder " + maskRoot + " sits beside class folders and would be"
                    + " read as a class of its own; choose a folder outside the data set");
        }
        List<Path> masks = new ArrayList<>(abnormals);
        if (abnormals > 0) {
            Path dir = Files.createDirectories(maskRoot);
            for (Phantom p : generator.abnormals(seed + normals, abnormals)) {
                masks.add(writePng(p.maskImage(), dir.resolve(fileName(p))));
            }
        }
        return new Result(maskRoot, List.of(), masks);
    }

    /**
     * The file name of a phantom: {@code phantom-<seed>.png} for a normal one,
     * {@code phantom-<seed>-<kind>.png} (kind in lower case) for an abnormal one.
     *
     * @param phantom the phantom
     * @return the file name
     */
    public static String fileName(Phantom phantom) {
        return phantom.isAbnormal()
                ? "phantom-" + phantom.seed() + "-" + phantom.kind().fileTag() + ".png"
                : "phantom-" + phantom.seed() + ".png";
    }

    /**
     * Writes an image with values in {@code [0, 1]} as an 8-bit grey PNG (values clamped, rounded to 0..255).
     *
     * @param image the image
     * @param file  the file, replaced if present
     * @return {@code file}
     * @throws IOException when it cannot be written
     */
    public static Path writePng(GrayImage image, Path file) throws IOException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] p = image.unsafePixels();
        for (int i = 0; i < p.length; i++) {
            data[i] = (byte) Math.round(Math.min(1f, Math.max(0f, p[i])) * 255f);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
        return file;
    }

    private static void checkCounts(int normals, int abnormals) {
        if (normals < 0 || abnormals < 0) {
            throw new IllegalArgumentException("counts must not be negative, got normals=" + normals
                    + ", abnormals=" + abnormals);
        }
    }
}
