package io.github.deepc.anomaly.examples;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Train a detector on the normal images of a class-folder data set and score every image.
 *
 * <p>Usage: {@code TrainAndScore [DATA_DIR [NORMAL_CLASS [EPOCHS]]]}; without a folder it generates hand phantoms.
 */
public final class TrainAndScore {
    private TrainAndScore() {
    }

    /**
     * @param args optional data folder, normal class name and epochs
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("phantoms");
        if (args.length == 0) {
            new PhantomDataSetWriter(HandPhantomGenerator.ofSize(64)).write(root, 80, 20, 1);
        }
        String normalClass = args.length > 1 ? args[1] : "NORMAL";
        String epochs = args.length > 2 ? args[2] : "5";

        DataSet data = ClassFolderLayout.withNormalClass(normalClass).load(root);
        try (AnomalyDetector detector = AnomalyDetector.builder()
                .model(PluginSpec.of("cae", "epochs", epochs))
                .scorer(PluginSpec.of("masked-mse"))
                .seed(42).build()) {
            detector.fit(data.normals(), ProgressListener.NONE);
            for (Detection d : detector.scoreAll(data.samples(), ProgressListener.NONE).results()) {
                System.out.printf("%-40s %-8s %.6f%n", d.sample().id(), d.sample().label(), d.score());
            }
            detector.save(root.resolve("detector.zip"));
        }
    }
}
