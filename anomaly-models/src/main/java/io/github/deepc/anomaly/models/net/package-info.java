/**
 * Engine-neutral network support shared by the deep models: {@link io.github.deepc.anomaly.models.net.ParameterStore},
 * the one home of a network's trainable values, from which every backend (the direct engine in production, SameDiff
 * as the reference it is tested against) computes and which is the body of the models' saved states. Internal
 * support for the model packages (public for them), not API.
 */
package io.github.deepc.anomaly.models.net;
