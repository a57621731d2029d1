/** The {@code distance} scorer: the distance to the centre (Deep SVDD) or the one-class score a model outputs. */
package io.github.deepc.anomaly.models.score.distance;
