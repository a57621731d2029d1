package io.github.deepc.anomaly.core.spi;

import java.util.List;
import java.util.Map;

/**
 * A factory for one kind of plugin, found with {@link java.util.ServiceLoader}. Implementations need a public
 * no-argument constructor and a line in {@code META-INF/services/<provider interface>}.
 *
 * @param <T> what the provider creates
 */
public interface PluginProvider<T> {
    /** @return the unique, lowercase-hyphenated id, e.g. {@code masked-mse} */
    String id();

    /** @return one sentence saying what the plugin does */
    String description();

    /** @return the declared parameters, in display order */
    List<ParameterSpec> parameters();

    /**
     * Creates an instance from validated parameters.
     *
     * @param params values for every declared parameter
     * @return a new instance
     */
    T create(Parameters params);

    /**
     * Parses string values against {@link #parameters()} and creates an instance.
     *
     * @param params values by name; missing ones take their default
     * @return a new instance
     * @throws IllegalArgumentException naming the parameter when a value is unknown or invalid
     */
    default T create(Map<String, String> params) {
        return create(Parameters.parse(id(), parameters(), params));
    }
}
