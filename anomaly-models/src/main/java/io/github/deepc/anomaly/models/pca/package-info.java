/**
 * The {@code pca} model: principal component analysis of the training images (exact eigendecomposition of the
 * smaller of the Gram and scatter matrices with Apache Commons Math) and orthogonal projection of new images on the
 * leading components ({@link io.github.deepc.anomaly.models.pca.PcaModel}).
 */
package io.github.deepc.anomaly.models.pca;
