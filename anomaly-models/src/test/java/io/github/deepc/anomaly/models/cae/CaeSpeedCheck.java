package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.testkit.TestImages;
import io.github.deepc.anomaly.models.conv.ParallelRanges;
import java.util.List;
import java.util.Locale;

/**
 * Quick throughput check of the reference CAE (not a test): trains on 256 random 64x64 images for 3 epochs and
 * scores them, printing images per second. Run with {@code OMP_NUM_THREADS} set to the cores to use, e.g.
 * {@code OMP_NUM_THREADS=2 java -cp <test classpath> io.github.deepc.anomaly.models.cae.CaeSpeedCheck [images] [size] [epochs] [engine]}.
 */
public final class CaeSpeedCheck {
    private CaeSpeedCheck() {
    }

    /**
     * @param args optional: number of images (256), image side (64), epochs (3), engine ({@code direct})
     */
    public static void main(String[] args) throws java.io.IOException {
        // as the CLI does: the engine's workers start before ND4J loads (-Dprestart=late shows the pinned case)
        if (!"late".equals(System.getProperty("prestart"))) {
            ParallelRanges.prestart();
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        CaeEngine engine = args.length > 3 ? CaeEngine.of(args[3]) : CaeEngine.DIRECT;
        List<GrayImage> images = TestImages.random(n, size, size, 1);
        System.out.printf(Locale.ROOT, "CAE speed check: %d images %dx%d, %d epochs, batch 32, engine %s, "
                + "OMP_NUM_THREADS=%s%n", n, size, size, epochs, engine.word(), System.getenv("OMP_NUM_THREADS"));
        try (CaeModel model = new CaeModel("reference", ConvLayout.REFERENCE,
                TrainingOptions.of(epochs, 32, 1e-3).withEngine(engine))) {
            long t0 = System.nanoTime();
            TrainingSummary s = model.fit(images, new TrainingContext(1, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport r) {
                    System.out.printf(Locale.ROOT, "  epoch %d/%d loss %.6f  %.1f images/s  %.2f s%n",
                            r.epoch(), r.epochs(), r.loss(), r.imagesPerSecond(), r.seconds());
                }
            }));
            double fitWall = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "train: %.1f images/s in the loop (%.2f s), fit() wall %.2f s incl. graph setup%n",
                    s.imagesPerSecond(), s.seconds(), fitWall);
            model.infer(images.subList(0, Math.min(64, n))); // warm-up
            int reps = 3;
            long t1 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                model.infer(images);
            }
            double inferSecs = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "score: %.1f images/s (%d x %d images, %.2f s)%n",
                    reps * n / inferSecs, reps, n, inferSecs);
        }
        // which cores each thread may run on (OpenMP's binding pins the thread that loaded ND4J)
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(
                java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String name = java.nio.file.Files.readString(t.resolve("comm")).trim();
                if (name.startsWith("anomaly-conv") || name.equals("main") || name.equals("java")) {
                    String cpus = java.nio.file.Files.readAllLines(t.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list")).findFirst().orElse("?");
                    System.out.printf(Locale.ROOT, "thread %s: %s%n", name, cpus.replaceAll("\\s+", " "));
                }
            }
        }
    }
}
