/**
 * Outlier scorers fitted on the latent vectors of the training normals: {@code knn}
 * ({@link io.github.deepc.anomaly.models.score.latent.KnnScorer}), {@code one-class-svm}
 * ({@link io.github.deepc.anomaly.models.score.latent.OneClassSvmScorer}, libsvm) and {@code dbscan}
 * ({@link io.github.deepc.anomaly.models.score.latent.DbscanScorer}, Apache Commons Math). They read
 * {@link io.github.deepc.anomaly.core.model.OutputKind#LATENT} and work with any model that produces it, such as
 * {@code raw-pixels}, {@code nmf}, {@code pca}, {@code deep-svdd} or {@code deep-one-class}. Each standardises the
 * features on the training normals by default and saves its fitted state with the detector.
 */
package io.github.deepc.anomaly.models.score.latent;
