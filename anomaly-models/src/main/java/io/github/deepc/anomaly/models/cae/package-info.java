/**
 * The {@code cae} model: a convolutional autoencoder built with ND4J SameDiff, trained with a masked MSE on normal
 * images and producing reconstructions. {@link io.github.deepc.anomaly.models.cae.CaeModelProvider} registers it;
 * {@link io.github.deepc.anomaly.models.cae.CaeModel} is the model.
 */
package io.github.deepc.anomaly.models.cae;
