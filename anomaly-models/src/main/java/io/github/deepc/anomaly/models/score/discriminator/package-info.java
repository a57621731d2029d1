/** The {@code discriminator} scorer: how fake a GAN's discriminator finds an image. */
package io.github.deepc.anomaly.models.score.discriminator;
