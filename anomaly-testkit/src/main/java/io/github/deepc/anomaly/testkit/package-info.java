/**
 * The plugin test kit: the library's plugin contracts as JUnit 5 dynamic-test factories, for the authors of stages
 * ({@link io.github.deepc.anomaly.testkit.StageContract}), models ({@link io.github.deepc.anomaly.testkit.ModelContract}),
 * scorers ({@link io.github.deepc.anomaly.testkit.ScorerContract}) and image decoders
 * ({@link io.github.deepc.anomaly.testkit.DecoderContract}), over one provider or a whole registry catalog, with the
 * small synthetic images of {@link io.github.deepc.anomaly.testkit.TestImages}. Add it with test scope; it needs only
 * {@code anomaly-core} and JUnit Jupiter's API.
 */
package io.github.deepc.anomaly.testkit;
