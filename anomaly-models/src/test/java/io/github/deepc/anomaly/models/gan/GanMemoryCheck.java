package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Native-memory and throughput check of the GAN training loop (not a test): trains one model for many steps on
 * synthetic images and prints the process's resident set size (RSS), and the Java heap's share of it, as training goes
 * on; it should level off after the first steps. Run e.g. {@code OMP_NUM_THREADS=2 java -cp <test classpath>
 * io.github.deepc.anomaly.models.gan.GanMemoryCheck alpha-gan 32 300}; {@code -Dnd4j.threads=N} limits ND4J's threads.
 */
public final class GanMemoryCheck {
    private GanMemoryCheck() {
    }

    /**
     * @param args model id (dcgan), image side (32), training steps (300), images (64), batch size (32), channels (32)
     */
    public static void main(String[] args) throws IOException {
        String id = args.length > 0 ? args[0] : DcganModel.ID;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        int channels = args.length > 5 ? Integer.parseInt(args[5]) : 32;
        int stepsPerEpoch = (n + batch - 1) / batch;
        int epochs = Math.max(1, steps / stepsPerEpoch);
        List<GrayImage> images = TestImages.blobs(n, size, 2, 1);
        GanConfig config = GanConfig.builder().epochs(epochs).batchSize(batch).channels(channels).build();
        System.out.printf(Locale.ROOT, "%s memory check: %d images %dx%d, batch %d, channels %d, %d epochs = %d steps, "
                + "OMP_NUM_THREADS=%s%n", id, n, size, size, batch, channels, epochs, epochs * stepsPerEpoch,
                System.getenv("OMP_NUM_THREADS"));
        int threads = Integer.getInteger("nd4j.threads", 0);
        if (threads > 0) {
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
        long before = rssKb();
        try (GanModel model = create(id, config)) {
            int every = Math.max(1, epochs / 20);
            TrainingSummary s = model.fit(images, new TrainingContext(1, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport r) {
                    if (r.epoch() == 1 || r.epoch() % every == 0 || r.epoch() == r.epochs()) {
                        System.out.printf(Locale.ROOT, "  step %5d  RSS %7.1f MiB (Java heap committed %6.1f MiB)  %.1f images/s"
                                + "  G %.3f  %s%n", r.epoch() * stepsPerEpoch, rssKb() / 1024.0,
                                Runtime.getRuntime().totalMemory() / 1048576.0, r.imagesPerSecond(), r.loss(), r.extra());
                    }
                }
            }));
            System.out.printf(Locale.ROOT, "trained: %.1f images/s, %.1f s; RSS before %.1f MiB, after %.1f MiB%n",
                    s.imagesPerSecond(), s.seconds(), before / 1024.0, rssKb() / 1024.0);
        }
    }

    static GanModel create(String id, GanConfig config) {
        return switch (id) {
            case DcganModel.ID -> new DcganModel(config);
            case BiganModel.ID -> new BiganModel(config);
            case AlphaGanModel.ID -> new AlphaGanModel(config);
            default -> throw new IllegalArgumentException("unknown GAN '" + id + "'");
        };
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
