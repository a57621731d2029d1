package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.TrainingReport;
import io.github.deepc.anomaly.core.io.FileCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anomaly train}: fits a detector on the normal class of a data folder and saves it. */
@Command(name = "train", description = "Train a detector on the normal images of a data folder (class folders or MURA).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data folder: DIR/<CLASS>/*.png|jpg, or a MURA root.")
    Path data;

    @Option(names = "--normal-class", required = true, paramLabel = "NAME", description = "Name of the normal class folder, e.g. NORMAL.")
    String normalClass;

    @Mixin
    DetectorOptions detector;

    @Mixin
    DicomOptions dicomOptions;

    @Option(names = "--limit", paramLabel = "N", description = "Use at most N training images.")
    Integer limit;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the trained detector.")
    Path out;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Option(names = "--resume", description = "Continue an interrupted training from its last checkpoint (FILE.checkpoint beside --out, written after every epoch by the models that train in epochs: cae, bottleneck-cae, vae, deep-svdd and deep-one-class on engine=direct, dcgan, bigan, alpha-gan, defect-localizer); give the same arguments as the interrupted run.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        OutputPaths.requireLimit(limit);
        OutputPaths.requireWritableFile(out, "--out");
        List<Sample> normals = load(data, normalClass, limit, dicomOptions, spec.commandLine().getErr());
        ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr(), json);
        long start = System.nanoTime();
        try (AnomalyDetector d = detector.build(normalClass, data)) {
            FileCheckpoints checkpoints = checkpoints(out, data, d, resume);
            if (!resume && Files.exists(checkpoints.file())) {
                spec.commandLine().getErr().printf("note: starting over; the checkpoint of an earlier run (%s) will be "
                        + "replaced (train with --resume to continue it instead)%n", checkpoints.file());
            }
            if (resume && !json) {
                spec.commandLine().getErr().println(Files.exists(checkpoints.file())
                        ? "resuming from " + checkpoints.file() + " (the epochs it finished are not trained again)"
                        : "no checkpoint " + checkpoints.file() + " to resume from: training from the start");
            }
            d.checkpoints(checkpoints);
            if (!json) {
                spec.commandLine().getErr().printf("training %s on %d normal images of %s%n", d.config().model(), normals.size(), data);
            }
            TrainingReport report = d.fit(normals, progress);
            d.save(out);
            // the detector is safely saved: its checkpoints are no longer needed
            checkpoints.delete();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("detector", out.toString());
            summary.put("model", d.config().model().id());
            summary.put("scorer", d.config().scorer().id());
            summary.put("trainImages", report.summary().images());
            summary.put("skipped", report.failures().size());
            summary.put("skippedImages", report.failures().stream().map(f -> f.item()).toList());
            summary.put("epochs", report.summary().epochs());
            summary.put("finalLoss", report.summary().finalLoss());
            summary.put("trainImagesPerSecond", report.summary().imagesPerSecond());
            summary.put("seconds", report.summary().seconds());
            summary.put("totalSeconds", (System.nanoTime() - start) / 1e9);
            if (json) {
                Json.print(spec.commandLine().getOut(), summary);
            } else {
                spec.commandLine().getOut().printf("saved %s (%d images, %d epochs, loss %.6f, %.1f images/s)%n", out,
                        report.summary().images(), report.summary().epochs(), report.summary().finalLoss(),
                        report.summary().imagesPerSecond());
                report.failures().forEach(f -> spec.commandLine().getOut().println("skipped " + f.item() + ": " + f.reason()));
            }
        }
        return 0;
    }

    /**
     * @return the checkpoints of a training whose detector goes to {@code out}: {@code out.checkpoint}, tied to the
     *         data folder and the detector's configuration (the model adds its options, seed and data digest)
     */
    static FileCheckpoints checkpoints(Path out, Path data, AnomalyDetector d, boolean resume) {
        String run = "data " + data.toAbsolutePath().normalize() + ", detector " + d.config();
        return new FileCheckpoints(out.resolveSibling(out.getFileName() + ".checkpoint"), run, resume);
    }

    static List<Sample> load(Path data, String normalClass, Integer limit, DicomOptions dicom, java.io.PrintWriter err)
            throws java.io.IOException {
        DataSet ds = dicom.load(data, normalClass, err);
        if (ds.normals().isEmpty()) {
            if (dicom.dicomRequested() || ds.size() > 0) {
                throw new IllegalArgumentException("no images of the normal class '" + normalClass + "' in " + data
                        + "; classes found: " + ds.classNames());
            }
            return load(data, normalClass, limit);
        }
        List<Sample> normals = ds.normals();
        return limit == null ? normals : normals.subList(0, Math.min(limit, normals.size()));
    }

    static List<Sample> load(Path data, String normalClass, Integer limit) {
        DataSet ds = DataSets.detect(data, normalClass);
        if (ds.normals().isEmpty()) {
            // re-run the class-folder check for its precise message
            ClassFolderLayout.withNormalClass(normalClass).loadForTraining(data);
        }
        List<Sample> normals = ds.normals();
        return limit == null ? normals : normals.subList(0, Math.min(limit, normals.size()));
    }
}
