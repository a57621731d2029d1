package io.github.deepc.anomaly.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Writes small generated PNGs for tests. */
public final class TestImages {
    private TestImages() {
    }

    /**
     * @param file   target
     * @param size   side
     * @param seed   content seed
     * @param bright a brighter square in the middle when true
     * @return the file
     */
    public static Path png(Path file, int size, long seed, boolean bright) {
        try {
            Files.createDirectories(file.getParent());
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            SplittableRandom r = new SplittableRandom(seed);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = 60 + (x + y) + r.nextInt(10);
                    if (bright && Math.abs(x - size / 2) < size / 6 && Math.abs(y - size / 2) < size / 6) {
                        v = 250;
                    }
                    img.getRaster().setSample(x, y, 0, Math.min(255, v));
                }
            }
            ImageIO.write(img, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
