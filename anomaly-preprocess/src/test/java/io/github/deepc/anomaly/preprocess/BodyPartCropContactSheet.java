package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A tool, not a test: runs the classical fallback of {@code body-part-crop} over a folder of radiographs and writes
 * a contact sheet PNG, each tile the original with the crop box drawn in red next to the crop, numbered, so that a
 * person can judge how many crops contain the body part.
 *
 * <pre>
 * java -cp ... io.github.deepc.anomaly.preprocess.BodyPartCropContactSheet \
 *     /work/shared/data/hand-xray/NORMAL 48 /tmp/body-part-crop-sheet.png
 * </pre>
 *
 * The images are taken evenly spaced over the sorted folder listing. Arguments: folder, number of images, output
 * PNG, and optionally the margin (default 0.05) and the first index (default 0).
 */
public final class BodyPartCropContactSheet {
    private BodyPartCropContactSheet() {
    }

    /**
     * @param args folder, count, output PNG [, margin [, offset]]
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: BodyPartCropContactSheet FOLDER COUNT OUT.png [MARGIN [OFFSET]]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        double margin = args.length > 3 ? Double.parseDouble(args[3]) : 0.05;
        int offset = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.(jpe?g|png)")).sorted().toList();
        }
        int step = Math.max(1, files.size() / count);
        OpenCvImageDecoder decoder = new OpenCvImageDecoder();
        BodyPartCropStage stage = new BodyPartCropStage(margin, 0.005);
        List<Path> chosen = new java.util.ArrayList<>();
        for (int i = 0; i < count && offset + i * step < files.size(); i++) {
            chosen.add(files.get(offset + i * step));
        }
        List<GrayImage> images = new java.util.ArrayList<>();
        List<Optional<CropRegion>> regions = new java.util.ArrayList<>();
        long time = 0;
        for (Path f : chosen) {
            GrayImage img = decoder.decode(f);
            long t0 = System.nanoTime();
            regions.add(stage.locate(img));
            time += System.nanoTime() - t0;
            images.add(img);
        }
        write(out, chosen, images, regions, 0, chosen.size(), 4, 150);
        // pages of 12 larger tiles, easier to judge one by one
        String base = out.toString().replaceAll("\\.png$", "");
        for (int p = 0; p * 12 < chosen.size(); p++) {
            write(Path.of(base + "-page" + (p + 1) + ".png"), chosen, images, regions, p * 12,
                    Math.min(chosen.size(), (p + 1) * 12), 3, 230);
        }
        long found = regions.stream().filter(Optional::isPresent).count();
        System.out.printf("%d images, %d crops, %.1f ms per image, sheet %s (+ pages %s-pageN.png)%n", chosen.size(), found,
                time / 1e6 / Math.max(1, chosen.size()), out, base);
    }

    private static void write(Path out, List<Path> files, List<GrayImage> images, List<Optional<CropRegion>> regions,
                              int from, int to, int columns, int tile) throws IOException {
        int n = to - from;
        int rows = (n + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * (2 * tile + 10), rows * (tile + 18), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int j = 0; j < n; j++) {
            int i = from + j;
            GrayImage img = images.get(i);
            Optional<CropRegion> r = regions.get(i);
            BufferedImage orig = toImage(img, 0, 0, img.width(), img.height());
            int ox = (j % columns) * (2 * tile + 10);
            int oy = (j / columns) * (tile + 18);
            double s = Math.min((double) tile / img.width(), (double) tile / img.height());
            g.drawImage(orig, ox, oy, (int) (img.width() * s), (int) (img.height() * s), null);
            g.setColor(Color.YELLOW);
            g.drawString(i + ": " + files.get(i).getFileName(), ox, oy + tile + 13);
            if (r.isPresent()) {
                CropRegion c = r.get();
                g.setColor(Color.RED);
                g.setStroke(new BasicStroke(2f));
                g.drawRect(ox + (int) (c.x() * s), oy + (int) (c.y() * s), (int) (c.width() * s), (int) (c.height() * s));
                BufferedImage crop = toImage(img, c.x(), c.y(), c.width(), c.height());
                double cs = Math.min((double) tile / c.width(), (double) tile / c.height());
                g.drawImage(crop, ox + tile + 4, oy, (int) (c.width() * cs), (int) (c.height() * cs), null);
            } else {
                g.setColor(Color.ORANGE);
                g.drawString("none", ox + tile + 40, oy + tile / 2);
            }
        }
        g.dispose();
        ImageIO.write(sheet, "png", out.toFile());
    }

    private static BufferedImage toImage(GrayImage img, int x0, int y0, int w, int h) {
        float[] r = img.validRange();
        float lo = r[0];
        float span = Math.max(1e-6f, r[1] - r[0]);
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = Math.round((img.get(x0 + x, y0 + y) - lo) / span * 255f);
                b.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, v)));
            }
        }
        return b;
    }
}
