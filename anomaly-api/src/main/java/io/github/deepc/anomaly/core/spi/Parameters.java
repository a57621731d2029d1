package io.github.deepc.anomaly.core.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validated, typed parameter values of one plugin instance: every declared parameter has a value (given or
 * default), and no undeclared name is accepted.
 */
public final class Parameters {
    private final String owner;
    private final Map<String, Object> values;
    private final Map<String, String> raw;

    private Parameters(String owner, Map<String, Object> values, Map<String, String> raw) {
        this.owner = owner;
        this.values = values;
        this.raw = raw;
    }

    /**
     * Parses and validates string values against the declared parameters.
     *
     * @param owner  plugin id, for messages
     * @param specs  the declared parameters
     * @param given  values by name (may be empty); names not declared are an error
     * @return the parameters with defaults filled in
     * @throws IllegalArgumentException for an unknown name (listing the known ones), a missing required value
     *                                  or a value of the wrong form
     */
    public static Parameters parse(String owner, List<ParameterSpec> specs, Map<String, String> given) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            byName.put(s.name(), s);
        }
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "' for " + owner
                        + "; known parameters: " + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> raw = new TreeMap<>();
        for (ParameterSpec s : specs) {
            String v = given.containsKey(s.name()) ? given.get(s.name()) : s.defaultValue();
            if (v == null) {
                throw new IllegalArgumentException("parameter " + owner + "." + s.name() + " is required: " + s.description()
                        + " (" + s.expected() + ")");
            }
            Object parsed = s.parse(v, owner);
            values.put(s.name(), parsed);
            raw.put(s.name(), String.valueOf(parsed));
        }
        return new Parameters(owner, Collections.unmodifiableMap(values), Collections.unmodifiableMap(raw));
    }

    private Object value(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(owner + " declares no parameter '" + name + "'");
        }
        return v;
    }

    /**
     * @param name parameter name
     * @return the INT value
     */
    public int getInt(String name) {
        return (Integer) value(name);
    }

    /**
     * @param name parameter name
     * @return the DOUBLE value
     */
    public double getDouble(String name) {
        return ((Number) value(name)).doubleValue();
    }

    /**
     * @param name parameter name
     * @return the BOOLEAN value
     */
    public boolean getBoolean(String name) {
        return (Boolean) value(name);
    }

    /**
     * @param name parameter name
     * @return the STRING or CHOICE value
     */
    public String getString(String name) {
        return (String) value(name);
    }

    /** @return all values in canonical string form, sorted by name (what is saved with a detector) */
    public Map<String, String> asStrings() {
        return raw;
    }

    @Override
    public String toString() {
        return owner + raw;
    }
}
