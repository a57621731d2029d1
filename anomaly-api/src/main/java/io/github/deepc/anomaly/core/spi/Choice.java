package io.github.deepc.anomaly.core.spi;

/**
 * A constant that a {@link ParameterType#CHOICE} parameter names by a word, typically an enum constant.
 *
 * <p>Enums implementing this interface can be parsed and listed with {@link Choices}.
 */
public interface Choice {
    /** @return the lower-case parameter word naming this constant, e.g. {@code cosine} */
    String word();
}
