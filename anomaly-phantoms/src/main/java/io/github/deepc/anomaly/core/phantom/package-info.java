/**
 * Synthetic hand-radiograph phantoms with known anomalies, fully determined by a seed: the library's embedded
 * default data for the demo and for tests.
 *
 * <p>{@link io.github.deepc.anomaly.core.phantom.HandPhantomGenerator} renders a phantom (air, soft tissue,
 * bones with a cortical rim, a side marker, exposure, gradient and noise) and optionally one
 * {@link io.github.deepc.anomaly.core.phantom.AnomalyKind anomaly} with its ground-truth mask;
 * {@link io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter} writes a class-folder data set of them as
 * 8-bit PNGs.
 */
package io.github.deepc.anomaly.core.phantom;
