/**
 * Deep one-class models built with ND4J SameDiff on a bias-free convolutional feature network: {@code deep-svdd}
 * ({@link io.github.deepc.anomaly.models.oneclass.DeepSvddModel}, Ruff et al. 2018) and {@code deep-one-class}
 * ({@link io.github.deepc.anomaly.models.oneclass.DeepOneClassModel}, Perera and Patel 2019, with a reference set),
 * both exposing their features (LATENT) and a feature-space distance (DISTANCE), and the {@code distance} scorer
 * ({@link io.github.deepc.anomaly.models.oneclass.DistanceScorer}) that reads it.
 */
package io.github.deepc.anomaly.models.oneclass;
