package io.github.deepc.anomaly.core.spi;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Declares one typed parameter of a plugin: its name, type, default, meaning and valid range.
 *
 * @param name         lowercase-hyphenated name, e.g. {@code batch-size}
 * @param type         value type
 * @param defaultValue default as a string, or {@code null} when the parameter is required
 * @param description  one sentence for {@code plugins} listings
 * @param min          smallest allowed numeric value (inclusive), or {@code null}
 * @param max          largest allowed numeric value (inclusive), or {@code null}
 * @param choices      the allowed words for {@link ParameterType#CHOICE}, else empty
 */
public record ParameterSpec(String name, ParameterType type, String defaultValue, String description,
                            Double min, Double max, List<String> choices) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Validates the declaration itself (a broken declaration is a plugin bug). */
    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name must be lowercase-hyphenated, got '" + name + "'");
        }
        if (type == ParameterType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice parameter '" + name + "' declares no choices");
        }
        if (defaultValue != null) {
            // the default must itself be valid
            new ParameterSpec(name, type, null, description, min, max, choices).parse(defaultValue, "default");
        }
    }

    /**
     * @param name        name
     * @param defaultValue default
     * @param min         inclusive minimum
     * @param max         inclusive maximum
     * @param description meaning
     * @return an INT parameter
     */
    public static ParameterSpec ofInt(String name, int defaultValue, int min, int max, String description) {
        return new ParameterSpec(name, ParameterType.INT, Integer.toString(defaultValue), description,
                (double) min, (double) max, List.of());
    }

    /**
     * @param name         name
     * @param defaultValue default
     * @param min          inclusive minimum
     * @param max          inclusive maximum
     * @param description  meaning
     * @return a DOUBLE parameter
     */
    public static ParameterSpec ofDouble(String name, double defaultValue, double min, double max, String description) {
        return new ParameterSpec(name, ParameterType.DOUBLE, Double.toString(defaultValue), description, min, max, List.of());
    }

    /**
     * @param name         name
     * @param defaultValue default
     * @param description  meaning
     * @return a BOOLEAN parameter
     */
    public static ParameterSpec ofBoolean(String name, boolean defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.BOOLEAN, Boolean.toString(defaultValue), description, null, null, List.of());
    }

    /**
     * @param name         name
     * @param defaultValue default, or {@code null} when required
     * @param description  meaning
     * @return a STRING parameter
     */
    public static ParameterSpec ofString(String name, String defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.STRING, defaultValue, description, null, null, List.of());
    }

    /**
     * @param name         name
     * @param defaultValue default, one of {@code choices}
     * @param description  meaning
     * @param choices      the allowed words
     * @return a CHOICE parameter
     */
    public static ParameterSpec ofChoice(String name, String defaultValue, String description, String... choices) {
        return new ParameterSpec(name, ParameterType.CHOICE, defaultValue, description, null, null, List.of(choices));
    }

    /** @return whether the parameter has no default and must be given */
    public boolean required() {
        return defaultValue == null;
    }

    /**
     * Parses and validates a value.
     *
     * @param raw   the value as text
     * @param owner the plugin id, for the error message
     * @return an Integer, Double, Boolean or String according to {@link #type()}
     * @throws IllegalArgumentException naming the plugin, the parameter and the expected form
     */
    public Object parse(String raw, String owner) {
        String v = raw == null ? "" : raw.trim();
        try {
            Object value = switch (type) {
                case INT -> Integer.parseInt(v);
                case DOUBLE -> {
                    double d = Double.parseDouble(v);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    String b = v.toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(b);
                }
                case STRING -> v;
                case CHOICE -> {
                    String c = v.toLowerCase(Locale.ROOT);
                    if (!choices.contains(c)) {
                        throw new NumberFormatException();
                    }
                    yield c;
                }
            };
            if (value instanceof Number n && (min != null && n.doubleValue() < min || max != null && n.doubleValue() > max)) {
                throw new IllegalArgumentException(prefix(owner) + "=" + v + " is out of range; expected " + expected());
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix(owner) + "='" + v + "' is not valid; expected " + expected(), e);
        }
    }

    private String prefix(String owner) {
        return "parameter " + owner + "." + name;
    }

    /** @return a human description of the accepted values, e.g. "an integer in [1, 1000]" */
    public String expected() {
        return switch (type) {
            case INT -> "an integer" + range();
            case DOUBLE -> "a number" + range();
            case BOOLEAN -> "true or false";
            case STRING -> "text";
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    private String range() {
        if (min == null && max == null) {
            return "";
        }
        return " in [" + fmt(min, "-inf") + ", " + fmt(max, "inf") + "]";
    }

    private String fmt(Double d, String none) {
        if (d == null) {
            return none;
        }
        return type == ParameterType.DOUBLE ? d.toString() : Long.toString(d.longValue());
    }
}
