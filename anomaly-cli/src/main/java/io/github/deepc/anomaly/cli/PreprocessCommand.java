package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.preprocess.ContactSheet;
import io.github.deepc.anomaly.preprocess.GrayPngWriter;
import io.github.deepc.anomaly.preprocess.ResizeStage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anomaly preprocess}: runs a preprocessing pipeline over a data folder and writes what it made: every
 * processed image as an 8-bit PNG under the output folder (same relative path, {@code .png}), and a before/after
 * contact sheet ({@code contact-sheet.png}) of a spread of the images, so that a person can see what the pipeline
 * does. Files that fail are reported and skipped.
 */
@Command(name = "preprocess", description = "Run a preprocessing pipeline over a data folder; write the processed images "
        + "(8-bit PNG) and a before/after contact sheet.")
final class PreprocessCommand implements Callable<Integer> {
    /** File name of the contact sheet in the output folder. */
    static final String SHEET = "contact-sheet.png";
    private static final int CELL = 160;
    private static final int PAIRS_PER_ROW = 4;
    private static final int MAX_NOTES_SHOWN = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data folder: DIR/<CLASS>/*.png|jpg, loose images, or a MURA root.")
    Path data;

    @Option(names = "--pipeline", paramLabel = "FILE|NAME", description = "Pipeline JSON file or a named pipeline: default, recommended, chest, hand, none, each also as NAME-SIZE (default: ${DEFAULT-VALUE}).",
            defaultValue = "default")
    String pipeline;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the processed images and contact-sheet.png.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Process at most N images.")
    Integer limit;

    @Option(names = "--size", paramLabel = "N", description = "Square image side; sets every stage's 'size' parameter.")
    Integer size;

    @Option(names = "--seed", paramLabel = "S", description = "Master seed; each image gets its own seed from it (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + Seeds.DEFAULT_SEED)
    long seed;

    @Option(names = "--training", description = "Apply training-only stages (augment) as during training.")
    boolean training;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Option(names = "--sheet", paramLabel = "N", description = "Images on the contact sheet, 0 for none (default: ${DEFAULT-VALUE}).",
            defaultValue = "24")
    int sheet;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @picocli.CommandLine.Mixin
    DicomOptions dicomOptions;

    /** With --pseudonymize: outputs are named by pseudonyms of the sample ids, not by input paths. */
    private boolean pseudonymousNames;

    /** What became of one image. */
    private record Outcome(Sample sample, Path written, List<String> notes, ContactSheet.Pair pair, String failure) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        if (sheet < 0) {
            throw new IllegalArgumentException("--sheet must be at least 0, got " + sheet);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + workers);
        }
        List<PluginSpec> specs = DetectorOptions.pipelineSpecs(pipeline, size);
        Pipeline p = Pipeline.create(specs, PluginRegistry.defaultRegistry());
        DataSet ds = dicomOptions.load(data, "NORMAL", err);
        io.github.deepc.anomaly.dicom.Pseudonymizer names = dicomOptions.outputNamePseudonymizer();
        if (names != null) {
            pseudonymousNames = true;
            List<Sample> renamed = new ArrayList<>();
            for (Sample s : ds.samples()) {
                renamed.add(new Sample(names.pseudonym(s.id()), s.path(), s.patientId(), s.className(), s.label()));
            }
            ds = new DataSet(ds.root(), renamed);
        }
        if (ds.size() == 0) {
            throw new IllegalArgumentException("no images (png/jpg/jpeg/tif/bmp) in " + data);
        }
        Path root = data.toAbsolutePath().normalize();
        Path target = out.toAbsolutePath().normalize();
        if (target.startsWith(root)) {
            throw new IllegalArgumentException("--out " + out + " must not be inside --data " + data
                    + " (the written images would be read as data next time)");
        }
        List<Sample> samples = limit == null ? ds.samples() : ds.limit(limit).samples();
        boolean[] onSheet = sheetPicks(samples.size(), sheet);
        Files.createDirectories(target);
        if (!json) {
            err.printf("preprocessing %d images of %s with %s on %d threads%n", samples.size(), data,
                    specs.stream().map(PluginSpec::toString).toList(), workers);
            err.flush();
        }
        long start = System.nanoTime();
        List<Outcome> outcomes = run(p, samples, onSheet, root, target, workers);
        double seconds = (System.nanoTime() - start) / 1e9;

        List<ContactSheet.Pair> pairs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.failure() != null) {
                failures.add(o.sample().path().toString());
                err.println("failed: " + o.sample().path() + ": " + o.failure());
                continue;
            }
            for (String n : o.notes()) {
                notes.add(o.sample().id() + ": " + n);
            }
            if (o.pair() != null) {
                pairs.add(o.pair());
            }
        }
        if (!json) {
            for (int i = 0; i < Math.min(MAX_NOTES_SHOWN, notes.size()); i++) {
                err.println("note: " + notes.get(i));
            }
            if (notes.size() > MAX_NOTES_SHOWN) {
                err.println("... and " + (notes.size() - MAX_NOTES_SHOWN) + " more notes");
            }
        }
        err.flush();
        int written = outcomes.size() - failures.size();
        if (written == 0) {
            throw new IllegalArgumentException("none of the " + samples.size() + " images could be processed; first failure: "
                    + outcomes.get(0).sample().path() + ": " + outcomes.get(0).failure());
        }
        Path sheetFile = null;
        if (!pairs.isEmpty()) {
            sheetFile = target.resolve(SHEET);
            ContactSheet.writePng(pairs, CELL, PAIRS_PER_ROW, sheetFile);
        }
        double rate = written / Math.max(seconds, 1e-9);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("out", out.toString());
        summary.put("pipeline", pipeline);
        summary.put("count", written);
        summary.put("failed", failures.size());
        summary.put("failures", failures);
        summary.put("notes", notes.size());
        summary.put("contactSheet", sheetFile == null ? null : sheetFile.toString());
        summary.put("seconds", seconds);
        summary.put("imagesPerSecond", rate);
        if (json) {
            Json.print(spec.commandLine().getOut(), summary);
        } else {
            spec.commandLine().getOut().printf("wrote %d images to %s (%d failed, %.1f images/s)%s%n", written, out, failures.size(), rate,
                    sheetFile == null ? "" : "; contact sheet " + sheetFile);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /**
     * Spreads the contact sheet's images evenly over the samples (which are sorted by path, so over the classes too).
     *
     * @param n     number of samples
     * @param wants images wanted on the sheet
     * @return per sample, whether it goes on the sheet
     */
    static boolean[] sheetPicks(int n, int wants) {
        boolean[] picks = new boolean[n];
        int k = Math.min(n, wants);
        for (int i = 0; i < k; i++) {
            picks[(int) ((long) i * n / k)] = true;
        }
        return picks;
    }

    private List<Outcome> run(Pipeline p, List<Sample> samples, boolean[] onSheet, Path root, Path target, int workers)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, samples.size()));
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                boolean keep = onSheet[i];
                futures.add(pool.submit(() -> process(p, s, keep, root, target)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    outcomes.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    outcomes.add(new Outcome(samples.get(i), null, List.of(), null, String.valueOf(c.getMessage())));
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome process(Pipeline p, Sample s, boolean keep, Path root, Path target) {
        try {
            GrayImage original = DataSet.load(s);
            ProcessedImage result = p.apply(original, training, Seeds.mix(seed, s.id()));
            Path file = target.resolve(pseudonymousNames ? Path.of(s.id() + ".png") : relativePng(root, s));
            GrayPngWriter.writePng(result.image(), file);
            ContactSheet.Pair pair = null;
            if (keep) {
                // keep only a small copy of the original for the sheet
                GrayImage small = Math.max(original.width(), original.height()) > CELL
                        ? new ResizeStage(CELL, ResizeStage.Interpolation.AREA).apply(original, StageContext.standalone(false, 0L))
                        : original;
                pair = new ContactSheet.Pair(s.id(), small, result.image());
            }
            return new Outcome(s, file, result.notes(), pair, null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(s, null, List.of(), null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * @param root the data folder
     * @param s    a sample below it
     * @return its path relative to the data folder with the extension replaced by {@code .png}
     */
    static Path relativePng(Path root, Sample s) {
        Path file = s.path().toAbsolutePath().normalize();
        Path rel = file.startsWith(root) ? root.relativize(file) : Path.of(s.id().replaceAll("[^A-Za-z0-9._/-]", "_"));
        String name = rel.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String png = (dot > 0 ? name.substring(0, dot) : name) + ".png";
        return rel.getParent() == null ? Path.of(png) : rel.getParent().resolve(png);
    }
}
