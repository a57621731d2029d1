package io.github.deepc.anomaly.core.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Parsing and listing of the {@link Choice} enums behind {@link ParameterType#CHOICE} parameters.
 *
 * <p>Words are matched after trimming and lower-casing (with {@link Locale#ROOT}), as {@link ParameterSpec#parse}
 * does for choice values; the words are listed in declaration order.
 */
public final class Choices {
    private Choices() {
    }

    /**
     * Finds the constant named by a word.
     *
     * @param type the enum
     * @param word the word, case-insensitive and trimmed; may be {@code null}
     * @param <E>  the enum type
     * @return the constant whose {@link Choice#word()} it is, or empty when there is none (or {@code word} is
     *         {@code null})
     */
    public static <E extends Enum<E> & Choice> Optional<E> find(Class<E> type, String word) {
        Objects.requireNonNull(type, "type");
        if (word == null) {
            return Optional.empty();
        }
        String w = word.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.word().equals(w)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses the value of a choice parameter.
     *
     * @param type      the enum
     * @param parameter the parameter for the message, e.g. {@code knn.metric} (plugin id and parameter name)
     * @param word      the word, case-insensitive and trimmed; may be {@code null}
     * @param <E>       the enum type
     * @return the constant whose {@link Choice#word()} it is
     * @throws IllegalArgumentException when there is none, with the message
     *                                  {@code parameter <parameter>='<word as given>' is not valid; expected one of
     *                                  <words>}
     */
    public static <E extends Enum<E> & Choice> E parse(Class<E> type, String parameter, String word) {
        return find(type, word).orElseThrow(() -> new IllegalArgumentException(
                "parameter " + parameter + "='" + word + "' is not valid; expected one of " + words(type)));
    }

    /**
     * @param type the enum
     * @param <E>  the enum type
     * @return the words of all constants in declaration order, joined by {@code ", "}, e.g. {@code unit, symmetric}
     */
    public static <E extends Enum<E> & Choice> String words(Class<E> type) {
        return String.join(", ", wordList(type));
    }

    /**
     * @param type the enum
     * @param <E>  the enum type
     * @return the words of all constants in declaration order (unmodifiable), e.g. for
     *         {@link ParameterSpec#ofChoice}
     */
    public static <E extends Enum<E> & Choice> List<String> wordList(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return Arrays.stream(type.getEnumConstants()).map(Choice::word).toList();
    }
}
