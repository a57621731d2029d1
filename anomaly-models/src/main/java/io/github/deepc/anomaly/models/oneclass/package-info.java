/**
 * Deep one-class models on a bias-free convolutional feature network, trained and run on the library's own
 * convolution engine ({@code conv.DirectFeatureNetwork}, the default) or on their SameDiff reference graphs
 * ({@code engine=samediff}), with the weights in one parameter store either way: {@code deep-svdd}
 * ({@link io.github.deepc.anomaly.models.oneclass.DeepSvddModel}, Ruff et al. 2018) and {@code deep-one-class}
 * ({@link io.github.deepc.anomaly.models.oneclass.DeepOneClassModel}, Perera and Patel 2019, with a reference set),
 * both exposing their features (LATENT) and a feature-space distance (DISTANCE), and the {@code distance} scorer
 * ({@link io.github.deepc.anomaly.models.score.distance.DistanceScorer}) that reads it.
 */
package io.github.deepc.anomaly.models.oneclass;
