package io.github.deepc.anomaly.core.spi;

import java.nio.file.Path;

/**
 * Wires the training data's root into models that must never read reference images from it.
 *
 * <p>A model that learns from a reference set of other images (e.g. {@code deep-one-class}) declares a parameter
 * {@value #PARAMETER}; the reference set must not be (part of) the data being evaluated, or the abnormal class
 * would leak into training. Tools that know the training folder call {@link #apply} so the model can refuse such a
 * reference set.
 */
public final class ExcludeRoot {
    /** The parameter name models declare to receive the training data root. */
    public static final String PARAMETER = "exclude-root";

    private ExcludeRoot() {
    }

    /**
     * @param model    the model spec
     * @param dataRoot the training data's root folder
     * @param registry where the model's declared parameters are looked up
     * @return the spec with {@value #PARAMETER} set to the root, when the model declares it and it is not given
     */
    public static PluginSpec apply(PluginSpec model, Path dataRoot, PluginRegistry registry) {
        if (model.params().containsKey(PARAMETER) || dataRoot == null) {
            return model;
        }
        return registry.models().withIfDeclared(model, PARAMETER, dataRoot.toAbsolutePath().normalize().toString());
    }
}
