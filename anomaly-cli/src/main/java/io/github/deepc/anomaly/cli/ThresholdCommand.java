package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import io.github.deepc.anomaly.eval.threshold.ThresholdMethod;
import io.github.deepc.anomaly.eval.threshold.ThresholdReport;
import io.github.deepc.anomaly.eval.threshold.Thresholds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anomaly threshold}: chooses a decision threshold from validation scores and stores it in a detector file,
 * after which {@code score} writes a 0/1 {@code decision} column.
 */
@Command(name = "threshold", description = {"Choose a decision threshold (score >= threshold is abnormal) and store it in a detector.",
    "f1: maximise F1 on --scores; fpr: lowest threshold with false-positive rate <= --target-fpr on the normals of --scores;"
        + " fixed: --value."})
final class ThresholdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--detector", required = true, paramLabel = "FILE", description = "A detector saved by 'train'.")
    Path detectorFile;

    @Option(names = "--scores", paramLabel = "FILE", description = "Validation scores CSV of this detector (written by 'score'); needed by f1 and fpr.")
    Path scores;

    @Option(names = "--method", required = true, paramLabel = "METHOD", description = "f1, fpr or fixed.")
    String method;

    @Option(names = "--target-fpr", paramLabel = "RATE", description = "Largest false-positive rate for --method fpr (default: 0.05).")
    Double targetFpr;

    @Option(names = "--value", paramLabel = "X", description = "The threshold for --method fixed.")
    Double value;

    @Option(names = "--test", paramLabel = "FILE", description = "Test scores CSV: also report precision, recall, specificity, F1 and the confusion matrix there.")
    Path test;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to save the detector with its threshold (default: replace --detector).")
    Path out;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ThresholdMethod m;
        try {
            m = ThresholdMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        checkOptions(m);
        List<ScoreRow> validation = scores == null ? List.of() : ScoresCsv.read(scores);
        Threshold t = Thresholds.choose(m, validation, targetFpr == null ? 0.05 : targetFpr, value);
        Path target = out == null ? detectorFile : out;
        try (AnomalyDetector d = AnomalyDetector.load(detectorFile)) {
            d.setThreshold(t);
            d.save(target);
        }
        ThresholdReport onValidation = validation.isEmpty() ? null : ThresholdReport.of(t, validation);
        ThresholdReport onTest = test == null ? null : ThresholdReport.of(t, ScoresCsv.read(test));
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("detector", target.toString());
            s.put("threshold", t.value());
            s.put("method", t.method());
            s.put("description", t.description());
            s.put("validation", onValidation == null ? null : onValidation.asMap());
            s.put("test", onTest == null ? null : onTest.asMap());
            Json.print(o, s);
        } else {
            o.printf("threshold %s (%s) saved in %s%n", t.value(), t.description(), target);
            if (onValidation != null) {
                o.println("validation " + onValidation.describe());
            }
            if (onTest != null) {
                o.println("test " + onTest.describe());
            }
        }
        return 0;
    }

    private void checkOptions(ThresholdMethod m) {
        if (m != ThresholdMethod.FIXED && scores == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--method " + m.word() + " needs --scores (validation scores CSV)");
        }
        if (m == ThresholdMethod.FIXED && value == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--method fixed needs --value");
        }
        if (m != ThresholdMethod.FIXED && value != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--value applies only to --method fixed");
        }
        if (m != ThresholdMethod.FPR && targetFpr != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target-fpr applies only to --method fpr");
        }
    }
}
