package io.github.deepc.anomaly.benchmarks;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.models.pca.PcaModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the linear models and latent scorers scale with the number of training images (issue 15 item 11): trains a
 * detector on {@code n} generated 64 x 64 images (smooth random blobs, seeded) for each {@code n} of
 * {@code --sizes} (default {@code 1000,10000,50000}) and each model/scorer pair of {@code --detectors} (default
 * {@code pca/knn-cosine}, the default detector), and prints the training time, the peak Java heap and the peak
 * resident set (Java heap plus native memory: ND4J/OpenBLAS buffers) during training, and the scoring throughput on
 * 1,000 more images ({@code --pca-only true}: the {@code pca} model's own fit alone). Pairs: {@code pca/knn-cosine}, {@code pca/one-class-svm}, {@code nmf/knn}, {@code pca/masked-mse}.
 * The images are held in memory as the API's {@code fitImages} takes them: 50,000 at 64 x 64 are 1 GB of floats and
 * masks before the pipeline copies them, so run it with {@code -Xmx8g}. Not a test: see the module's README.
 */
public final class ScalingBenchmark {
    private ScalingBenchmark() {
    }

    /**
     * @param args {@code --sizes N,N,...} and {@code --detectors MODEL/SCORER,...}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String sizes = "1000,10000,50000";
        String detectors = "pca/knn-cosine";
        boolean pcaOnly = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sizes" -> sizes = args[i + 1];
                case "--detectors" -> detectors = args[i + 1];
                case "--pca-only" -> pcaOnly = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected --sizes N,N,... or --detectors MODEL/SCORER,...)");
            }
        }
        System.out.printf(Locale.ROOT, "%-20s %7s %10s %14s %14s %14s%n", "detector", "images", "train s",
                "peak heap MiB", "peak RSS MiB", "score img/s");
        if (pcaOnly) {
            for (String n : sizes.split(",")) {
                pcaAlone(Integer.parseInt(n.trim()));
            }
            return;
        }
        List<GrayImage> queries = images(1000, 64, 99);
        for (String d : detectors.split(",")) {
            for (String n : sizes.split(",")) {
                run(d.trim(), Integer.parseInt(n.trim()), queries);
            }
        }
    }

    private static void run(String detector, int n, List<GrayImage> queries) throws IOException {
        String[] parts = detector.split("/");
        PluginSpec model = PluginSpec.of(parts[0]);
        PluginSpec scorer = switch (parts[1]) {
            case "knn-cosine" -> PluginSpec.of("knn", "k", "3", "metric", "cosine");
            default -> PluginSpec.of(parts[1]);
        };
        List<GrayImage> train = images(n, 64, n);
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(DetectorDefaults.recommendedPipeline(64))
                .model(model).scorer(scorer).seed(1).build()) {
            d.fitImages(train, ProgressListener.NONE);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            long heap = peakHeap();
            long rss = peakRss();
            long s0 = System.nanoTime();
            for (GrayImage q : queries) {
                d.score(q);
            }
            double scorePerSecond = queries.size() / ((System.nanoTime() - s0) / 1e9);
            System.out.printf(Locale.ROOT, "%-20s %7d %10.1f %14d %14d %14.0f%n", detector, n, trainSeconds,
                    heap >> 20, rss >> 20, scorePerSecond);
        }
    }

    /** The {@code pca} model's own fit (64 components) on images given directly, without pipeline or scorer. */
    private static void pcaAlone(int n) throws IOException {
        List<GrayImage> train = images(n, 64, n);
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        PcaModel m = new PcaModel(64);
        m.fit(train, new TrainingContext(1, ProgressListener.NONE));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%-20s %7d %10.1f %14d %14d %14s%n", "pca model alone", n, seconds,
                peakHeap() >> 20, peakRss() >> 20, "-");
    }

    /** Smooth random blobs on a ramp: images that vary in many directions, as radiographs do. */
    static List<GrayImage> images(int count, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<GrayImage> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] p = new float[size * size];
            int blobs = 1 + rng.nextInt(3);
            double[] cx = new double[blobs];
            double[] cy = new double[blobs];
            double[] r = new double[blobs];
            for (int b = 0; b < blobs; b++) {
                cx[b] = size * (0.2 + 0.6 * rng.nextDouble());
                cy[b] = size * (0.2 + 0.6 * rng.nextDouble());
                r[b] = size * (0.05 + 0.15 * rng.nextDouble());
            }
            double slope = 0.3 * rng.nextDouble();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = 0.1 + slope * y / size + 0.02 * rng.nextDouble();
                    for (int b = 0; b < blobs; b++) {
                        double dx = x - cx[b];
                        double dy = y - cy[b];
                        v += 0.7 * Math.exp(-(dx * dx + dy * dy) / (2 * r[b] * r[b]));
                    }
                    p[y * size + x] = (float) Math.min(1.0, v);
                }
            }
            out.add(GrayImage.wrap(size, size, p, null));
        }
        return out;
    }

    private static void resetPeaks() throws IOException {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        Path clear = Path.of("/proc/self/clear_refs");
        if (Files.isWritable(clear)) {
            Files.writeString(clear, "5"); // resets VmHWM, the peak resident set
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        return -1;
    }
}
