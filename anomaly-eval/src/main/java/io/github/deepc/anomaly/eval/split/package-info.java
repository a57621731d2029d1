/**
 * Patient-grouped splits: {@link io.github.deepc.anomaly.eval.split.PatientSplit} (two parts) and
 * {@link io.github.deepc.anomaly.eval.split.DataSplit} (train / validation / test by the research or the given-test
 * protocol), saved and reloaded with {@link io.github.deepc.anomaly.eval.split.SplitCsv}.
 */
package io.github.deepc.anomaly.eval.split;
