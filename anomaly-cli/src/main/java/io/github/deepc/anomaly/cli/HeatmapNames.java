package io.github.deepc.anomaly.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Set;

/**
 * File names for heat maps, one per image and never shared: {@code <name>-<hash>.png}, where {@code <name>} is the
 * image's file name (extension included) with characters other than {@code A-Z a-z 0-9 . _ -} replaced by {@code _}
 * and {@code <hash>} the first 10 hex digits of the SHA-256 of the image's full path. Names that only differ in
 * such characters ({@code a b.png}, {@code a_b.png}), images of one name in several folders, and {@code x.jpg} beside
 * {@code x.png} therefore get distinct, stable heat maps. A repeated name within one run is an error, not an overwrite.
 */
public final class HeatmapNames {
    private final Set<String> used = new HashSet<>();

    /** Tracks the names of one run. */
    public HeatmapNames() {
    }

    /**
     * The naming rule alone (no collision check), for writers that name heat maps like {@code score} does, e.g.
     * {@code spark-score}'s executors.
     *
     * @param image the scored image's path
     * @return its heat map's file name
     */
    public static String fileName(Path image) {
        String file = image.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(image.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        return file + "-" + hash + ".png";
    }

    /**
     * @param image the scored image's path
     * @return its heat map's file name
     * @throws IllegalStateException when two images of this run map to one name (a hash collision)
     */
    public String nameFor(Path image) {
        String name = fileName(image);
        if (!used.add(name)) {
            throw new IllegalStateException("two images map to the heat map name " + name + " (" + image + ")");
        }
        return name;
    }
}
