package io.github.deepc.anomaly.core.plugin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A plugin reference by id with string parameters: how pipelines, detector files, JSON configs and the CLI
 * name a plugin.
 *
 * @param id     the provider id
 * @param params parameter values as strings (missing ones take their default)
 */
public record PluginSpec(@JsonProperty("id") String id, @JsonProperty("params") Map<String, String> params) {
    /** Copies the parameters into a sorted, unmodifiable map. */
    @JsonCreator
    public PluginSpec {
        Objects.requireNonNull(id, "id");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /**
     * @param id provider id
     * @return a spec with default parameters
     */
    public static PluginSpec of(String id) {
        return new PluginSpec(id, Map.of());
    }

    /**
     * @param id     provider id
     * @param params alternating names and values
     * @return the spec
     */
    public static PluginSpec of(String id, String... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("parameters must come as name/value pairs");
        }
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < params.length; i += 2) {
            m.put(params[i], params[i + 1]);
        }
        return new PluginSpec(id, m);
    }

    /**
     * @param name  parameter name
     * @param value value
     * @return a copy with this parameter set
     */
    public PluginSpec with(String name, String value) {
        Map<String, String> m = new TreeMap<>(params);
        m.put(name, value);
        return new PluginSpec(id, m);
    }

    @Override
    public String toString() {
        return params.isEmpty() ? id : id + params;
    }
}
