/**
 * The {@code nmf} model: non-negative matrix factorisation of the training images
 * ({@link io.github.deepc.anomaly.models.nmf.NmfSolver}, Lee-Seung multiplicative updates) and projection of new
 * images on the learnt basis ({@link io.github.deepc.anomaly.models.nmf.NmfModel}).
 */
package io.github.deepc.anomaly.models.nmf;
