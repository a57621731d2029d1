/** The {@code anomaly-map} scorer: an image score from a model's per-pixel anomaly map, which is also its heat map. */
package io.github.deepc.anomaly.models.score.map;
