/**
 * Self-supervised detection of local anomalies: {@link io.github.deepc.anomaly.models.selfsup.DefectGenerator}
 * makes seeded synthetic defects on normal images (cut-paste, foreign-patch blends, intensity, blur, noise) with exact
 * masks, and the {@code defect-localizer} model
 * ({@link io.github.deepc.anomaly.models.selfsup.DefectLocalizerModel}) learns to find them, giving a per-pixel
 * anomaly map.
 */
package io.github.deepc.anomaly.models.selfsup;
