package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.eval.scores.Evaluation;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anomaly evaluate}: ROC-AUC and average precision of a scores CSV. */
@Command(name = "evaluate", description = "ROC-AUC and average precision of a scores CSV (labelled rows).")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scores", required = true, paramLabel = "FILE", description = "Scores CSV written by 'score'.")
    Path scores;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Evaluation e = Evaluation.of(ScoresCsv.read(scores));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rocAuc", e.rocAuc());
            m.put("averagePrecision", e.averagePrecision());
            m.put("count", e.count());
            m.put("positives", e.positives());
            m.put("unlabelled", e.unlabelled());
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().printf("ROC-AUC %.4f  AP %.4f  (%d images, %d abnormal%s)%n", e.rocAuc(),
                    e.averagePrecision(), e.count(), e.positives(), e.unlabelled() > 0 ? ", " + e.unlabelled() + " unlabelled ignored" : "");
        }
        return 0;
    }
}
