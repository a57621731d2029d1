package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.Map;

/**
 * A model or scorer of an experiment: plugin id, parameters and an optional display name.
 *
 * @param id     the plugin id (see {@code anomaly plugins})
 * @param params parameter values (numbers may be written as JSON numbers), or {@code null} for the defaults
 * @param name   the name in tables and reports; default: the id, or id and parameters when the id occurs twice
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentConfig(String id, Map<String, String> params, String name) {
    /**
     * @param id plugin id
     * @return a component with default parameters
     */
    public static ComponentConfig of(String id) {
        return new ComponentConfig(id, null, null);
    }

    /** @return the plugin spec */
    @JsonIgnore
    public PluginSpec spec() {
        return new PluginSpec(id, params);
    }

    void validate(String where) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("'" + where + ".id' is required (a plugin id; see 'anomaly plugins')");
        }
    }
}
