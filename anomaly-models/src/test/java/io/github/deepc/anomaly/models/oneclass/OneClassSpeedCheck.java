package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.conv.ParallelRanges;
import io.github.deepc.anomaly.testkit.TestImages;
import java.util.List;
import java.util.Locale;

/**
 * Quick throughput check of {@code deep-svdd} and {@code deep-one-class} (not a test): trains on random images (default
 * 640 of 64x64, 2 epochs, batch 32, the models' other defaults; deep-one-class with 100 phantoms per reference class)
 * and scores them three times, printing images per second for training (the training loop, normal images only) and
 * scoring. Run with {@code OMP_NUM_THREADS} set to the cores to use, e.g.
 * {@code OMP_NUM_THREADS=2 OMP_PROC_BIND=true java -cp <test classpath>
 * io.github.deepc.anomaly.models.oneclass.OneClassSpeedCheck deep-svdd direct [images] [size] [epochs]}.
 */
public final class OneClassSpeedCheck {
    private OneClassSpeedCheck() {
    }

    /**
     * @param args model ({@code deep-svdd} or {@code deep-one-class}), engine ({@code direct} or {@code samediff}),
     *             optional: images (640), image side (64), epochs (2)
     */
    public static void main(String[] args) {
        // as the CLI does: the engine's workers start before ND4J loads
        ParallelRanges.prestart();
        String model = args[0];
        CaeEngine engine = CaeEngine.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        List<GrayImage> images = TestImages.random(n, size, size, 1);
        try (CentredFeatureModel m = model.equals(DeepSvddModel.ID)
                ? new DeepSvddModel(epochs, 32, 1e-4, 1e-6, 32, engine)
                : new DeepOneClassModel("phantoms", "", 100, 0.1, epochs, 32, 1e-3, 1e-6, 32, engine)) {
            TrainingSummary s = m.fit(images, new TrainingContext(1, ProgressListener.NONE));
            m.infer(images.subList(0, Math.min(64, n))); // warm-up
            int reps = 3;
            long t = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                m.infer(images);
            }
            double secs = (System.nanoTime() - t) / 1e9;
            System.out.printf(Locale.ROOT, "%s engine=%s %d images %dx%d, %d epochs: train %.1f images/s, score %.1f"
                    + " images/s (OMP_NUM_THREADS=%s, OMP_PROC_BIND=%s)%n", model, engine.word(), n, size, size, epochs,
                    s.imagesPerSecond(), reps * n / secs, System.getenv("OMP_NUM_THREADS"),
                    System.getenv("OMP_PROC_BIND"));
        }
    }
}
