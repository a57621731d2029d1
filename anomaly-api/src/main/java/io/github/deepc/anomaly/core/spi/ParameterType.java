package io.github.deepc.anomaly.core.spi;

/** The value type of a plugin parameter; values always arrive as strings (CLI, JSON) and are parsed by type. */
public enum ParameterType {
    /** A 32-bit integer. */
    INT,
    /** A double-precision number. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Free text. */
    STRING,
    /** One of a fixed set of lowercase words. */
    CHOICE
}
