package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.eval.io.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code results.csv}: one row per run, in the experiment's run order; figures that do not apply are empty. Columns:
 * {@value #HEADER}. Written atomically after every run, so an interrupted experiment leaves a consistent table.
 * The last three columns (grouped-cv repetition and fold, the train limit) came later and are empty for runs of the
 * single-split protocols on all training normals; readers that know only the earlier columns still read the rest.
 */
public final class ResultsCsv {
    /** The header line. */
    public static final String HEADER = "run,pipeline,model,scorer,seed,status,reason,validation_roc_auc,validation_ap,"
            + "test_roc_auc,test_ap,threshold,test_precision,test_recall,test_specificity,test_f1,tp,fp,tn,fn,"
            + "train_images,validation_images,test_images,failed_images,epochs,final_loss,train_seconds,"
            + "train_images_per_second,score_images_per_second,seconds,finished_at,repetition,fold,train_limit";

    private ResultsCsv() {
    }

    /**
     * @param file    where to write
     * @param results the runs' results
     * @throws IOException when writing fails
     */
    public static void write(Path file, List<RunResult> results) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (RunResult r : results) {
            List<String> f = new ArrayList<>(List.of(r.id(), r.pipeline(), r.model(), r.scorer(), Long.toString(r.seed()),
                    r.status(), r.reason() == null ? "" : r.reason()));
            RunResult.Figures x = r.figures();
            if (x == null) {
                for (int i = 0; i < 23; i++) {
                    f.add("");
                }
            } else {
                List<Integer> c = x.confusion();
                f.addAll(List.of(num(x.validationRocAuc()), num(x.validationAp()), num(x.testRocAuc()), num(x.testAp()),
                        num(x.threshold()), num(x.testPrecision()), num(x.testRecall()), num(x.testSpecificity()),
                        num(x.testF1()), conf(c, 0), conf(c, 1), conf(c, 2), conf(c, 3),
                        Integer.toString(x.trainImages()), Integer.toString(x.validationImages()),
                        Integer.toString(x.testImages()), Integer.toString(x.failedImages()), Integer.toString(x.epochs()),
                        num(x.finalLoss()), num(x.trainSeconds()), num(x.trainImagesPerSecond()),
                        num(x.scoreImagesPerSecond()), num(x.seconds())));
            }
            f.add(r.finishedAt() == null ? "" : r.finishedAt());
            f.add(r.repetition() == null ? "" : Integer.toString(r.repetition()));
            f.add(r.fold() == null ? "" : Integer.toString(r.fold()));
            f.add(r.trainLimit() == null ? "" : Integer.toString(r.trainLimit()));
            b.append(Csv.line(f)).append('\n');
        }
        Csv.writeAtomically(file, b.toString());
    }

    /**
     * Reads the run ids of a results table (the figures are read from each run's {@code run.json}).
     *
     * @param file a {@code results.csv}
     * @return the run ids, in order
     * @throws IOException when the file is missing or not a results table
     */
    public static List<String> readRunIds(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("results file not found: " + file + " (run 'experiment' first)");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("run,pipeline,model,scorer,seed,status")) {
            throw new IOException(file + " is not a results table: it must start with the header '" + HEADER + "'");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                ids.add(Csv.split(lines.get(i)).get(0));
            }
        }
        return ids;
    }

    static String num(Double d) {
        return d == null || d.isNaN() ? "" : Double.toString(d);
    }

    private static String conf(List<Integer> c, int i) {
        return c == null || c.size() <= i ? "" : Integer.toString(c.get(i));
    }
}
