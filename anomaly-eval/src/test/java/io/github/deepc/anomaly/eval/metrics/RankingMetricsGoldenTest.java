package io.github.deepc.anomaly.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link RankingMetrics} against values scikit-learn 1.2.1 computed (the shared golden file, and the
 * curve arrays in the test resource {@code golden/ranking-curves.json}, both compared bit for bit) and
 * against values worked out by hand.
 */
class RankingMetricsGoldenTest {

  /** The claim is "to the last bit": values are compared as bit patterns, not to a tolerance. */
  private static void assertBits(double expected, double actual, String what) {
    assertEquals(
        Double.doubleToLongBits(expected),
        Double.doubleToLongBits(actual),
        () -> what + ": expected " + expected + " bit for bit, got " + actual);
  }

  private static void assertBits(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertBits(expected[i], actual[i], what + "[" + i + "]");
    }
  }

  /**
   * One test per case of {@code golden/ranking-curves.json} (a test resource, so it runs without the shared
   * folder): the ROC and precision-recall curve arrays and both metrics as scikit-learn 1.2.1 returns them, bit
   * for bit. The first ROC threshold is the documented exception (+infinity here, max + 1 in 1.2.1).
   */
  @TestFactory
  Stream<DynamicTest> curvesMatchScikitLearnBitForBit() throws IOException {
    JsonNode cases;
    try (var in = getClass().getResourceAsStream("/golden/ranking-curves.json")) {
      cases = new ObjectMapper().readTree(in).path("cases");
    }
    assertTrue(cases.isArray() && cases.size() == 12, "12 cases in golden/ranking-curves.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      String name = c.path("name").asText();
      int[] labels = toIntArray(c.path("labels"));
      double[] scores = toDoubleArray(c.path("scores"));
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                RocCurve roc = RankingMetrics.rocCurve(labels, scores);
                PrecisionRecallCurve pr = RankingMetrics.precisionRecallCurve(labels, scores);
                assertBits(toDoubleArray(c.path("fpr")), roc.fpr(), name + " fpr");
                assertBits(toDoubleArray(c.path("tpr")), roc.tpr(), name + " tpr");
                double[] thr = roc.thresholds();
                assertEquals(Double.POSITIVE_INFINITY, thr[0], name + ": first ROC threshold");
                assertBits(
                    toDoubleArray(c.path("rocThresholdsAfterFirst")),
                    java.util.Arrays.copyOfRange(thr, 1, thr.length),
                    name + " ROC thresholds");
                assertBits(toDoubleArray(c.path("precision")), pr.precision(), name + " precision");
                assertBits(toDoubleArray(c.path("recall")), pr.recall(), name + " recall");
                assertBits(toDoubleArray(c.path("prThresholds")), pr.thresholds(), name + " PR thresholds");
                assertBits(c.path("rocAuc").asDouble(), RankingMetrics.rocAuc(labels, scores), name + " rocAuc");
                assertBits(
                    c.path("averagePrecision").asDouble(),
                    RankingMetrics.averagePrecision(labels, scores),
                    name + " averagePrecision");
              }));
    }
    return tests.stream();
  }

  private static Path goldenFile() {
    return Path.of(System.getProperty("anomaly.shared.dir", "../../shared"))
        .resolve("golden")
        .resolve("ranking-metrics.json");
  }

  /** One test per case of {@code golden/ranking-metrics.json}, named after the case. */
  @TestFactory
  Stream<DynamicTest> matchesScikitLearnGoldenValues() throws IOException {
    Path file = goldenFile();
    Assumptions.assumeTrue(
        Files.exists(file),
        () ->
            "golden file "
                + file.toAbsolutePath().normalize()
                + " is absent (set -Danomaly.shared.dir to the shared folder):"
                + " skipping the scikit-learn comparison");
    JsonNode cases = new ObjectMapper().readTree(file.toFile()).path("cases");
    assertTrue(cases.isArray() && cases.size() > 0, "no cases in " + file);

    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      String name = c.path("name").asText();
      int[] labels = toIntArray(c.path("labels"));
      double[] scores = toDoubleArray(c.path("scores"));
      double expectedAuc = c.path("rocAuc").asDouble(Double.NaN);
      double expectedAp = c.path("averagePrecision").asDouble(Double.NaN);
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () ->
                  assertAll(
                      () -> assertBits(expectedAuc, RankingMetrics.rocAuc(labels, scores), name + ": rocAuc"),
                      () ->
                          assertBits(
                              expectedAp,
                              RankingMetrics.averagePrecision(labels, scores),
                              name + ": averagePrecision"))));
    }
    return tests.stream();
  }

  private static int[] toIntArray(JsonNode array) {
    assertTrue(array.isArray(), "labels must be an array");
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static double[] toDoubleArray(JsonNode array) {
    assertTrue(array.isArray(), "scores must be an array");
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // hand-computed values

  @Test
  void scikitLearnDocumentationExample() {
    int[] labels = {0, 0, 1, 1};
    double[] scores = {0.1, 0.4, 0.35, 0.8};
    assertEquals(0.75, RankingMetrics.rocAuc(labels, scores), 0.0);
    assertEquals(0.8333333333333333, RankingMetrics.averagePrecision(labels, scores), 0.0);
  }

  @Test
  void tiesCountAsHalfAPair() {
    // Pairs (pos, neg): (0.5, 0.5) tie, (0.5, 0.2) right, (0.9, 0.5) right, (0.9, 0.2) right.
    assertEquals(
        3.5 / 4, RankingMetrics.rocAuc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9}));
  }

  @Test
  void allScoresTied() {
    int[] labels = {0, 1, 1, 0, 1};
    double[] scores = {0.3, 0.3, 0.3, 0.3, 0.3};
    assertEquals(0.5, RankingMetrics.rocAuc(labels, scores), 0.0);
    assertEquals(0.6, RankingMetrics.averagePrecision(labels, scores), 0.0);
  }

  @Test
  void perfectAndInvertedRankings() {
    assertEquals(
        1.0, RankingMetrics.rocAuc(new int[] {0, 0, 1}, new double[] {1, 2, 3}), 0.0);
    assertEquals(
        1.0, RankingMetrics.averagePrecision(new int[] {0, 0, 1}, new double[] {1, 2, 3}), 0.0);
    assertEquals(
        0.0, RankingMetrics.rocAuc(new int[] {1, 1, 0, 0}, new double[] {0.1, 0.2, 0.8, 0.9}));
    // Positives at ranks 3 and 4: AP = 0.5 * 1/3 + 0.5 * 2/4.
    assertEquals(
        0.5 / 3 + 0.25,
        RankingMetrics.averagePrecision(new int[] {1, 1, 0, 0}, new double[] {0.1, 0.2, 0.8, 0.9}),
        1e-15);
  }

  @Test
  void negativeZeroTiesWithPositiveZero() {
    // NumPy compares with <, so -0.0 and 0.0 are one threshold; Double.compare would split them.
    assertEquals(0.5, RankingMetrics.rocAuc(new int[] {0, 1}, new double[] {-0.0, 0.0}), 0.0);
    assertEquals(0.5, RankingMetrics.rocAuc(new int[] {1, 0}, new double[] {-0.0, 0.0}), 0.0);
    // The threshold is the score at the end of the tie run in NumPy's order: here -0.0.
    double[] thresholds =
        RankingMetrics.rocCurve(new int[] {0, 1}, new double[] {-0.0, 0.0}).thresholds();
    assertEquals(2, thresholds.length);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(thresholds[1]));
  }

  @Test
  void onlyPositivesGiveAveragePrecisionOne() {
    assertEquals(
        1.0,
        RankingMetrics.averagePrecision(new int[] {1, 1, 1, 1}, new double[] {4, 3, 2, 1}),
        1e-15);
  }

  @Test
  void extremeButFiniteScores() {
    int[] labels = {1, 0, 1, 0};
    double[] scores = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 0.0};
    assertEquals(1.0, RankingMetrics.rocAuc(labels, scores), 0.0);
    assertEquals(1.0, RankingMetrics.averagePrecision(labels, scores), 0.0);
  }

  // ---------------------------------------------------------------------------------------------
  // curves

  @Test
  void rocCurveOfTheDocumentationExample() {
    RocCurve roc =
        RankingMetrics.rocCurve(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
    assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.fpr(), 0.0);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.tpr(), 0.0);
    assertArrayEquals(
        new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, roc.thresholds(), 0.0);
    assertEquals(5, roc.size());
  }

  @Test
  void rocCurveStartsAtOriginAndEndsAtOneOne() {
    int[] labels = {1, 0, 0, 1, 0, 1, 1, 0, 0};
    double[] scores = {0.9, 0.1, 0.5, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4};
    RocCurve roc = RankingMetrics.rocCurve(labels, scores);
    double[] fpr = roc.fpr();
    double[] tpr = roc.tpr();
    double[] thr = roc.thresholds();
    int last = roc.size() - 1;
    assertEquals(0.0, fpr[0]);
    assertEquals(0.0, tpr[0]);
    assertEquals(Double.POSITIVE_INFINITY, thr[0]);
    assertEquals(1.0, fpr[last]);
    assertEquals(1.0, tpr[last]);
    assertEquals(0.1, thr[last]);
    for (int i = 1; i <= last; i++) {
      assertTrue(fpr[i] >= fpr[i - 1] && tpr[i] >= tpr[i - 1], "rates must not decrease");
      assertTrue(thr[i] < thr[i - 1], "thresholds must decrease");
    }
  }

  @Test
  void rocCurveDropsCollinearPoints() {
    // fps = [0,0,0,1,2,3], tps = [1,2,3,3,3,3]: the points at 5, 3 and 2 lie on straight runs.
    RocCurve roc =
        RankingMetrics.rocCurve(new int[] {1, 1, 1, 0, 0, 0}, new double[] {6, 5, 4, 3, 2, 1});
    assertArrayEquals(new double[] {0, 0, 0, 1}, roc.fpr(), 0.0);
    assertArrayEquals(new double[] {0, 1.0 / 3, 1, 1}, roc.tpr(), 0.0);
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 6, 4, 1}, roc.thresholds(), 0.0);
  }

  @Test
  void precisionRecallCurveOfTheDocumentationExample() {
    PrecisionRecallCurve pr =
        RankingMetrics.precisionRecallCurve(
            new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
    assertArrayEquals(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, pr.precision(), 0.0);
    assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0}, pr.recall(), 0.0);
    assertArrayEquals(new double[] {0.1, 0.35, 0.4, 0.8}, pr.thresholds(), 0.0);
    assertEquals(5, pr.size());
  }

  @Test
  void precisionRecallCurveEndsAtRecallZeroPrecisionOne() {
    int[] labels = {1, 0, 0, 1, 0, 1, 1, 0, 0};
    double[] scores = {0.9, 0.1, 0.5, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4};
    PrecisionRecallCurve pr = RankingMetrics.precisionRecallCurve(labels, scores);
    double[] precision = pr.precision();
    double[] recall = pr.recall();
    double[] thr = pr.thresholds();
    assertEquals(thr.length + 1, precision.length);
    assertEquals(precision.length, recall.length);
    assertEquals(1.0, precision[precision.length - 1]);
    assertEquals(0.0, recall[recall.length - 1]);
    assertEquals(1.0, recall[0], "lowest threshold reaches full recall");
    assertEquals(0.1, thr[0]);
    for (int i = 1; i < recall.length; i++) {
      assertTrue(recall[i] <= recall[i - 1], "recall must not increase");
    }
    for (int i = 1; i < thr.length; i++) {
      assertTrue(thr[i] > thr[i - 1], "thresholds must increase");
    }
  }

  @Test
  void metricsAgreeWithTheirCurves() {
    int[] labels = {1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0};
    double[] scores = {9, 1, 5, 5, 3, 7, 2, 8, 4, 5, 6, 2};
    RocCurve roc = RankingMetrics.rocCurve(labels, scores);
    double[] fpr = roc.fpr();
    double[] tpr = roc.tpr();
    double[] area = new double[fpr.length - 1];
    for (int i = 0; i < area.length; i++) {
      area[i] = (fpr[i + 1] - fpr[i]) * (tpr[i + 1] + tpr[i]) / 2.0;
    }
    assertEquals(
        RankingMetrics.pairwiseSum(area, 0, area.length), RankingMetrics.rocAuc(labels, scores));

    PrecisionRecallCurve pr = RankingMetrics.precisionRecallCurve(labels, scores);
    double[] precision = pr.precision();
    double[] recall = pr.recall();
    double[] steps = new double[recall.length - 1];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = (recall[i + 1] - recall[i]) * precision[i];
    }
    assertEquals(
        -RankingMetrics.pairwiseSum(steps, 0, steps.length),
        RankingMetrics.averagePrecision(labels, scores));
  }

  @Test
  void curvesAreImmutableValues() {
    int[] labels = {0, 1, 0, 1};
    double[] scores = {0.2, 0.4, 0.1, 0.3};
    RocCurve roc = RankingMetrics.rocCurve(labels, scores);
    roc.fpr()[0] = 42;
    assertEquals(0.0, roc.fpr()[0]);
    assertEquals(roc, RankingMetrics.rocCurve(labels, scores));
    assertEquals(roc.hashCode(), RankingMetrics.rocCurve(labels, scores).hashCode());
    PrecisionRecallCurve pr = RankingMetrics.precisionRecallCurve(labels, scores);
    pr.recall()[0] = 42;
    assertEquals(1.0, pr.recall()[0]);
    assertEquals(pr, RankingMetrics.precisionRecallCurve(labels, scores));
    assertNotEquals(pr, RankingMetrics.precisionRecallCurve(labels, new double[] {1, 2, 3, 4}));
    assertTrue(roc.toString().contains("Infinity"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RocCurve(new double[2], new double[2], new double[1]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PrecisionRecallCurve(new double[2], new double[2], new double[2]));
  }

  // ---------------------------------------------------------------------------------------------
  // pairwise summation: NumPy's order, checked against values np.sum returned (NumPy 2.4)

  private static double[] harmonic(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = 1.0 / (i + 1);
    }
    return a;
  }

  @Test
  void pairwiseSumMatchesNumpyBitForBit() {
    assertEquals(0x1.4be2be2be2be2p+1, RankingMetrics.pairwiseSum(harmonic(7), 0, 7));
    assertEquals(0x1.5be2be2be2be2p+1, RankingMetrics.pairwiseSum(harmonic(8), 0, 8));
    assertEquals(0x1.6a1ba1ba1ba1bp+1, RankingMetrics.pairwiseSum(harmonic(9), 0, 9));
    assertEquals(0x1.b84341cecee4cp+1, RankingMetrics.pairwiseSum(harmonic(17), 0, 17));
    assertEquals(0x1.5bb8ae9541ca7p+2, RankingMetrics.pairwiseSum(harmonic(128), 0, 128));
    assertEquals(0x1.5c37b09149ba9p+2, RankingMetrics.pairwiseSum(harmonic(129), 0, 129));
    assertEquals(0x1.5cb5b871c7c27p+2, RankingMetrics.pairwiseSum(harmonic(130), 0, 130));
    assertEquals(0x1.92172a3e6965ap+2, RankingMetrics.pairwiseSum(harmonic(300), 0, 300));
    assertEquals(0x1.df11f45f4e61ap+2, RankingMetrics.pairwiseSum(harmonic(1000), 0, 1000));
  }

  @Test
  void pairwiseSumDiffersFromALeftToRightLoopWhereNumpyDoes() {
    double[] a = harmonic(1000);
    double naive = 0;
    for (double x : a) {
      naive += x;
    }
    assertFalse(naive == RankingMetrics.pairwiseSum(a, 0, a.length));

    // 2^53 followed by ones: a plain loop never moves, eight accumulators do.
    double[] big = new double[300];
    java.util.Arrays.fill(big, 1.0);
    big[0] = 0x1p53;
    assertEquals(9007199254741000.0, RankingMetrics.pairwiseSum(big, 0, 9));
    assertEquals(9007199254741282.0, RankingMetrics.pairwiseSum(big, 0, 300));
  }

  @Test
  void pairwiseSumHonoursTheOffset() {
    double[] a = {100, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertEquals(45.0, RankingMetrics.pairwiseSum(a, 1, 9));
    assertEquals(0.0, RankingMetrics.pairwiseSum(a, 3, 0));
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  private static IllegalArgumentException rocAucFails(int[] labels, double[] scores) {
    return assertThrows(
        IllegalArgumentException.class, () -> RankingMetrics.rocAuc(labels, scores));
  }

  @Test
  void differentLengthsNameBothLengths() {
    String message = rocAucFails(new int[] {0, 1, 1}, new double[] {0.1, 0.2}).getMessage();
    assertTrue(message.contains("same length"), message);
    assertTrue(message.contains("labels.length=3"), message);
    assertTrue(message.contains("scores.length=2"), message);
    assertThrows(
        IllegalArgumentException.class,
        () -> RankingMetrics.averagePrecision(new int[] {0, 1}, new double[] {0.1}));
  }

  @Test
  void emptyInput() {
    String message = rocAucFails(new int[0], new double[0]).getMessage();
    assertTrue(message.contains("must not be empty"), message);
    assertThrows(
        IllegalArgumentException.class,
        () -> RankingMetrics.precisionRecallCurve(new int[0], new double[0]));
  }

  @Test
  void nonBinaryLabelNamesIndexAndValue() {
    String message = rocAucFails(new int[] {0, 2, 1}, new double[] {1, 2, 3}).getMessage();
    assertTrue(message.contains("labels[1] = 2"), message);
    assertTrue(message.contains("expected 0 or 1"), message);
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> RankingMetrics.averagePrecision(new int[] {0, 1, -1}, new double[3]))
            .getMessage();
    assertTrue(message.contains("labels[2] = -1"), message);
  }

  @Test
  void nonFiniteScoreNamesIndex() {
    String message = rocAucFails(new int[] {0, 1, 1}, new double[] {1, 2, Double.NaN}).getMessage();
    assertTrue(message.contains("scores[2]"), message);
    assertTrue(message.contains("not finite"), message);
    message =
        rocAucFails(new int[] {0, 1}, new double[] {Double.NEGATIVE_INFINITY, 0}).getMessage();
    assertTrue(message.contains("scores[0]"), message);
    message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    RankingMetrics.averagePrecision(
                        new int[] {0, 1}, new double[] {0, Double.POSITIVE_INFINITY}))
            .getMessage();
    assertTrue(message.contains("scores[1]"), message);
  }

  @Test
  void rocAucNeedsBothClasses() {
    assertEquals(
        "ROC-AUC needs both classes: got only label 0 (n=3)",
        rocAucFails(new int[] {0, 0, 0}, new double[] {1, 2, 3}).getMessage());
    assertEquals(
        "ROC-AUC needs both classes: got only label 1 (n=2)",
        rocAucFails(new int[] {1, 1}, new double[] {1, 2}).getMessage());
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> RankingMetrics.rocCurve(new int[] {1}, new double[] {0.5}))
            .getMessage();
    assertTrue(message.contains("needs both classes: got only label 1 (n=1)"), message);
  }

  @Test
  void averagePrecisionNeedsAPositive() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> RankingMetrics.averagePrecision(new int[] {0, 0, 0}, new double[3]))
            .getMessage();
    assertTrue(message.contains("needs at least one positive label"), message);
    assertTrue(message.contains("got only label 0 (n=3)"), message);
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> RankingMetrics.precisionRecallCurve(new int[] {0}, new double[1]))
            .getMessage();
    assertTrue(message.contains("needs at least one positive label"), message);
  }

  @Test
  void nullArrays() {
    assertThrows(NullPointerException.class, () -> RankingMetrics.rocAuc(null, new double[1]));
    assertThrows(
        NullPointerException.class, () -> RankingMetrics.averagePrecision(new int[1], null));
  }
}
