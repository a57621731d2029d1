/** Small helpers shared by the model packages: input checks with one wording. */
package io.github.deepc.anomaly.models.support;
