package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A tool, not a test: runs {@code marker-removal} (default parameters) over a folder and writes a contact sheet
 * PNG with, per image, the original, the result and the changed pixels (white), and prints the bright-marker area
 * ({@link MarkerMetrics}) before and after.
 *
 * <pre>
 * java -cp ... io.github.deepc.anomaly.preprocess.MarkerRemovalContactSheet FOLDER COUNT OUT.png
 * </pre>
 */
public final class MarkerRemovalContactSheet {
    private MarkerRemovalContactSheet() {
    }

    /**
     * @param args folder, count, output PNG
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        int tile = args.length > 3 ? Integer.parseInt(args[3]) : 160;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.(jpe?g|png)")).sorted().toList();
        }
        int step = Math.max(1, files.size() / count);
        OpenCvImageDecoder decoder = new OpenCvImageDecoder();
        MarkerRemovalStage stage = MarkerRemovalStage.defaults();
        int columns = 2;
        int rows = (count + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * (3 * tile + 12), rows * (tile + 16), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        long before = 0;
        long after = 0;
        int changed = 0;
        long time = 0;
        for (int i = 0; i < count && i * step < files.size(); i++) {
            Path f = files.get(i * step);
            GrayImage img = decoder.decode(f);
            long t0 = System.nanoTime();
            GrayImage res = stage.apply(img, StageContext.standalone(false, 1));
            time += System.nanoTime() - t0;
            float[] r = img.validRange();
            boolean[] m = MarkerMetrics.brightSmallMask(img, r[0], r[1]);
            int b = MarkerMetrics.brightSmallArea(img, r[0], r[1]);
            int a = MarkerMetrics.remaining(res, m, r[0], r[1]);
            before += b;
            after += a;
            BufferedImage diff = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
            int nChanged = 0;
            for (int k = 0; k < img.size(); k++) {
                if (img.unsafePixels()[k] != res.unsafePixels()[k]) {
                    diff.getRaster().setSample(k % img.width(), k / img.width(), 0, 255);
                    nChanged++;
                }
            }
            if (nChanged > 0) {
                changed++;
            }
            int ox = (i % columns) * (3 * tile + 12);
            int oy = (i / columns) * (tile + 16);
            double s = Math.min((double) tile / img.width(), (double) tile / img.height());
            int dw = (int) (img.width() * s);
            int dh = (int) (img.height() * s);
            g.drawImage(toImage(img, r), ox, oy, dw, dh, null);
            g.drawImage(toImage(res, r), ox + tile + 2, oy, dw, dh, null);
            g.drawImage(diff, ox + 2 * tile + 4, oy, dw, dh, null);
            g.setColor(Color.YELLOW);
            g.drawString(i + ": " + f.getFileName() + " bright-marker px " + b + " -> " + a, ox, oy + tile + 12);
        }
        g.dispose();
        ImageIO.write(sheet, "png", out.toFile());
        System.out.printf("%s: %d images, %d changed, bright-marker area %d -> %d pixels (%.1f%% removed), %.1f ms per image, sheet %s%n",
                dir, count, changed, before, after, before == 0 ? 0 : 100.0 * (before - after) / before, time / 1e6 / count, out);
    }

    private static BufferedImage toImage(GrayImage img, float[] r) {
        float span = Math.max(1e-6f, r[1] - r[0]);
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int v = Math.round((img.get(x, y) - r[0]) / span * 255f);
                b.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, v)));
            }
        }
        return b;
    }
}
