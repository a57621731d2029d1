package io.github.deepc.anomaly.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden values of the fold and seed spreads and of the choice / confirmation numbers. */
class CrossValidationSummaryTest {
    private static RunResult run(String model, long seed, int fold, double rocAuc) {
        RunResult.Figures f = new RunResult.Figures(null, null, rocAuc, rocAuc / 2, null, null, null, null, null, null,
                10, 0, 20, 0, 1, null, 2.0, 5.0, 40.0, 3.0);
        return new RunResult(model + seed + fold, "p", model, "s", seed, "ok", null, f, List.of(), "t", 1, fold, null);
    }

    @Test
    void meanFoldStdAndSeedStdAreKeptApart() {
        List<RunResult> results = new ArrayList<>();
        // model a: fold 1 seeds 0.6, 0.8 (mean 0.7, std 0.1414); fold 2 seeds 0.9, 0.9 (mean 0.9, std 0)
        results.add(run("a", 1, 1, 0.6));
        results.add(run("a", 2, 1, 0.8));
        results.add(run("a", 1, 2, 0.9));
        results.add(run("a", 2, 2, 0.9));
        // model b: better on fold 1 (the choice fold), worse on fold 2 (the confirmation fold)
        results.add(run("b", 1, 1, 0.75));
        results.add(run("b", 2, 1, 0.75));
        results.add(run("b", 1, 2, 0.5));
        results.add(run("b", 2, 2, 0.5));
        results.add(new RunResult("c", "p", "c", "s", 1, "failed", "boom", null, List.of(), "t", 1, 1, null));
        CrossValidationSummary cv = CrossValidationSummary.of(results, 2, 1);
        CrossValidationSummary.Row a = cv.rows().get(0);
        assertEquals(0.8, a.rocAuc().mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), a.rocAuc().foldStd(), 1e-12);
        assertEquals(Math.sqrt(0.02) / 2, a.rocAuc().seedStd(), 1e-12);
        assertEquals(0.4, a.ap().mean(), 1e-12);
        assertEquals(2, a.rocAuc().units());
        assertEquals(2, a.seeds());
        assertEquals(10, a.trainImages(), 1e-12);
        assertEquals(0.5, a.scoreSeconds(), 1e-12, "20 images at 40 images/s");
        assertEquals(0.7, a.chosenOn().mean(), 1e-12);
        assertEquals(0.9, a.confirmedOn().mean(), 1e-12);
        CrossValidationSummary.Row b = cv.rows().get(1);
        assertEquals(0.0, b.rocAuc().seedStd(), 1e-12);
        assertTrue(b.selected(), "chosen on fold 1 alone, where b is better");
        assertFalse(a.selected());
        assertEquals(0.5, b.confirmedOn().mean(), 1e-12, "and the confirmation fold shows it does not hold");
        assertEquals(1, cv.rows().get(2).failed());
        String md = cv.toMarkdown("t");
        assertTrue(md.contains("| a | s | p | all | 0.800 ± 0.141 / ± 0.071 |"), md);
        assertTrue(md.contains("b + s (p): chosen on 0.750, confirmed on 0.500"), md);
        assertTrue(md.contains("c + s (p): failed: boom"), md);
        CrossValidationSummary none = CrossValidationSummary.of(results, 2, 0);
        assertTrue(none.selected().isEmpty());
        assertFalse(none.toMarkdown("t").contains("chosen on"));
    }
}
