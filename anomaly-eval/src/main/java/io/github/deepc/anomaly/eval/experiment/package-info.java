/**
 * Experiments: a JSON file ({@link io.github.deepc.anomaly.eval.experiment.ExperimentConfig}) names a data set, a
 * split protocol and the pipelines, models, scorers and seeds to compare;
 * {@link io.github.deepc.anomaly.eval.experiment.ExperimentRunner} trains every combination per seed, resumably, and
 * writes {@code results.csv} and the summary table.
 */
package io.github.deepc.anomaly.eval.experiment;
