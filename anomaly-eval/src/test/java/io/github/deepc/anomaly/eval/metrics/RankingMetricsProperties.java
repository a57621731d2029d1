package io.github.deepc.anomaly.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link RankingMetrics} that hold for every input.
 *
 * <p>Scores are small integers held in doubles, so ties are common and the transforms used below
 * ({@code 3s + 1}, {@code exp(s)}, {@code -s}) map distinct scores to distinct doubles and equal
 * scores to equal doubles: the ranking, ties included, is exactly preserved (or exactly reversed).
 */
class RankingMetricsProperties {

  private static final double TOLERANCE = 1e-12;

  /** Labels with both classes and matching integer-valued scores in {@code [-range, range]}. */
  record Sample(int[] labels, double[] scores) {

    boolean hasBothClasses() {
      int positives = Arrays.stream(labels).sum();
      return positives > 0 && positives < labels.length;
    }

    int[] flippedLabels() {
      return Arrays.stream(labels).map(l -> 1 - l).toArray();
    }

    double[] transformed(DoubleUnaryOperator f) {
      return Arrays.stream(scores).map(f).toArray();
    }

    @Override
    public String toString() {
      return "Sample[labels="
          + Arrays.toString(labels)
          + ", scores="
          + Arrays.toString(scores)
          + "]";
    }
  }

  @Provide
  Arbitrary<Sample> samples() {
    Arbitrary<Integer> sizes = Arbitraries.integers().between(2, 120);
    Arbitrary<Integer> ranges = Arbitraries.integers().between(0, 40);
    return Combinators.combine(sizes, ranges)
        .flatAs(
            (n, range) ->
                Combinators.combine(
                        Arbitraries.integers().between(0, 1).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(-range, range).array(int[].class).ofSize(n))
                    .as((labels, ints) -> new Sample(labels, toDoubles(ints))))
        .filter(Sample::hasBothClasses);
  }

  private static double[] toDoubles(int[] ints) {
    return Arrays.stream(ints).asDoubleStream().toArray();
  }

  @Property(tries = 200)
  void rocAucIsInvariantUnderStrictlyIncreasingTransforms(@ForAll("samples") Sample s) {
    double auc = RankingMetrics.rocAuc(s.labels(), s.scores());
    // Same ranking and ties, hence the same counts and the very same double.
    assertEquals(auc, RankingMetrics.rocAuc(s.labels(), s.transformed(x -> 3 * x + 1)));
    assertEquals(auc, RankingMetrics.rocAuc(s.labels(), s.transformed(Math::exp)));
  }

  @Property(tries = 200)
  void averagePrecisionIsInvariantUnderStrictlyIncreasingTransforms(@ForAll("samples") Sample s) {
    double ap = RankingMetrics.averagePrecision(s.labels(), s.scores());
    assertEquals(ap, RankingMetrics.averagePrecision(s.labels(), s.transformed(x -> 3 * x + 1)));
    assertEquals(ap, RankingMetrics.averagePrecision(s.labels(), s.transformed(Math::exp)));
  }

  @Property(tries = 200)
  void flippingTheLabelsComplementsRocAuc(@ForAll("samples") Sample s) {
    assertEquals(
        1 - RankingMetrics.rocAuc(s.labels(), s.scores()),
        RankingMetrics.rocAuc(s.flippedLabels(), s.scores()),
        TOLERANCE);
  }

  @Property(tries = 200)
  void negatingTheScoresComplementsRocAuc(@ForAll("samples") Sample s) {
    assertEquals(
        1 - RankingMetrics.rocAuc(s.labels(), s.scores()),
        RankingMetrics.rocAuc(s.labels(), s.transformed(x -> -x)),
        TOLERANCE);
  }

  /** Scores that rank every positive above every negative give 1 for both; reversed, ROC-AUC 0. */
  @Property(tries = 200)
  void aPerfectRankingScoresOneAndAReversedOneZero(@ForAll("samples") Sample s) {
    double[] perfect = new double[s.labels().length];
    for (int i = 0; i < perfect.length; i++) {
      perfect[i] = s.labels()[i] + 1e-3 * s.scores()[i] / (1 + Math.abs(s.scores()[i]));
    }
    // to rounding: like scikit-learn, the areas are sums of steps (1/k each), not exactly 1
    assertEquals(1.0, RankingMetrics.rocAuc(s.labels(), perfect), TOLERANCE);
    assertEquals(1.0, RankingMetrics.averagePrecision(s.labels(), perfect), TOLERANCE);
    double[] reversed = java.util.Arrays.stream(perfect).map(x -> -x).toArray();
    assertEquals(0.0, RankingMetrics.rocAuc(s.labels(), reversed), TOLERANCE);
  }

  @Property(tries = 200)
  void rocAucIsTheMannWhitneyStatistic(@ForAll("samples") Sample s) {
    int[] labels = s.labels();
    double[] scores = s.scores();
    long positives = Arrays.stream(labels).sum();
    long negatives = labels.length - positives;
    long twiceU = 0; // a correctly ordered pair counts 2, a tie 1
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 1) {
        continue;
      }
      for (int j = 0; j < labels.length; j++) {
        if (labels[j] == 0) {
          twiceU += scores[i] > scores[j] ? 2 : scores[i] == scores[j] ? 1 : 0;
        }
      }
    }
    assertEquals(
        twiceU / (2.0 * positives * negatives),
        RankingMetrics.rocAuc(labels, scores),
        TOLERANCE);
  }

  @Property(tries = 200)
  void curvesHaveTheirFixedEndPoints(@ForAll("samples") Sample s) {
    RocCurve roc = RankingMetrics.rocCurve(s.labels(), s.scores());
    int last = roc.size() - 1;
    assertEquals(0.0, roc.fpr()[0]);
    assertEquals(0.0, roc.tpr()[0]);
    assertEquals(1.0, roc.fpr()[last]);
    assertEquals(1.0, roc.tpr()[last]);
    PrecisionRecallCurve pr = RankingMetrics.precisionRecallCurve(s.labels(), s.scores());
    assertEquals(1.0, pr.precision()[pr.size() - 1]);
    assertEquals(0.0, pr.recall()[pr.size() - 1]);
    assertEquals(1.0, pr.recall()[0]);
  }
}
