package io.github.deepc.anomaly.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChoicesTest {
    /** Words in a different order from the names, to check that declaration order is kept. */
    enum Fruit implements Choice {
        PEAR("pear"),
        APPLE("apple"),
        BLOOD_ORANGE("blood-orange");

        private final String word;

        Fruit(String word) {
            this.word = word;
        }

        @Override
        public String word() {
            return word;
        }
    }

    @Test
    void parsesExactWords() {
        for (Fruit f : Fruit.values()) {
            assertEquals(f, Choices.parse(Fruit.class, "basket.fruit", f.word()));
        }
    }

    @Test
    void parsesMixedCaseAndSurroundingSpaces() {
        assertEquals(Fruit.APPLE, Choices.parse(Fruit.class, "basket.fruit", "ApPLE"));
        assertEquals(Fruit.BLOOD_ORANGE, Choices.parse(Fruit.class, "basket.fruit", "  Blood-Orange \t"));
    }

    @Test
    void unknownWordNamesParameterWordAsGivenAndChoicesInDeclarationOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Choices.parse(Fruit.class, "basket.fruit", " Kiwi "));
        assertEquals("parameter basket.fruit=' Kiwi ' is not valid; expected one of pear, apple, blood-orange",
                e.getMessage());
        // the word must match as a whole, not by prefix or by constant name
        assertThrows(IllegalArgumentException.class, () -> Choices.parse(Fruit.class, "basket.fruit", "blood"));
        assertThrows(IllegalArgumentException.class, () -> Choices.parse(Fruit.class, "basket.fruit", "BLOOD_ORANGE"));
        assertThrows(IllegalArgumentException.class, () -> Choices.parse(Fruit.class, "basket.fruit", ""));
    }

    @Test
    void nullIsRejectedWithTheUsualMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Choices.parse(Fruit.class, "fruit", null));
        assertEquals("parameter fruit='null' is not valid; expected one of pear, apple, blood-orange", e.getMessage());
        assertEquals(Optional.empty(), Choices.find(Fruit.class, null));
    }

    @Test
    void findIsLenientLikeParse() {
        assertEquals(Optional.of(Fruit.PEAR), Choices.find(Fruit.class, " PEAR "));
        assertTrue(Choices.find(Fruit.class, "plum").isEmpty());
    }

    @Test
    void listsWordsInDeclarationOrder() {
        assertEquals("pear, apple, blood-orange", Choices.words(Fruit.class));
        List<String> words = Choices.wordList(Fruit.class);
        assertEquals(List.of("pear", "apple", "blood-orange"), words);
        assertThrows(UnsupportedOperationException.class, () -> words.add("plum"));
    }

    @Test
    void wordListFitsAChoiceParameter() {
        ParameterSpec spec = ParameterSpec.ofChoice("fruit", "apple", "a fruit",
                Choices.wordList(Fruit.class).toArray(String[]::new));
        assertEquals("one of pear, apple, blood-orange", spec.expected());
        assertEquals(Fruit.BLOOD_ORANGE, Choices.parse(Fruit.class, "basket.fruit",
                (String) spec.parse("Blood-Orange", "basket")));
    }
}
