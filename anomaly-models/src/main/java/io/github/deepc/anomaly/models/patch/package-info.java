/**
 * The {@code patch-memory} model: a PatchCore-like memory bank of normal image windows at several scales, for local
 * anomalies (fractures, nodules, focal opacities) that whole-image models of thumbnails miss.
 */
package io.github.deepc.anomaly.models.patch;
