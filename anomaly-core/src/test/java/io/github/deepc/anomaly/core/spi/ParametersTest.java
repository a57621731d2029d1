package io.github.deepc.anomaly.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private final List<ParameterSpec> specs = List.of(
            ParameterSpec.ofInt("epochs", 10, 1, 1000, "epochs"),
            ParameterSpec.ofDouble("learning-rate", 1e-3, 0, 1, "step size"),
            ParameterSpec.ofBoolean("attention", false, "attention layers"),
            ParameterSpec.ofChoice("loss", "mse", "loss", "mse", "bce"),
            ParameterSpec.ofString("reference", null, "required text"));

    @Test
    void fillsDefaultsAndParsesTypes() {
        Parameters p = Parameters.parse("m", specs, Map.of("epochs", "3", "reference", "x", "loss", "BCE"));
        assertEquals(3, p.getInt("epochs"));
        assertEquals(1e-3, p.getDouble("learning-rate"));
        assertEquals(false, p.getBoolean("attention"));
        assertEquals("bce", p.getString("loss"));
        assertEquals("3", p.asStrings().get("epochs"));
    }

    @Test
    void errorsNameOwnerParameterAndExpectedForm() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Parameters.parse("m", specs, Map.of("epochs", "0", "reference", "x")));
        assertTrue(range.getMessage().contains("m.epochs") && range.getMessage().contains("[1, 1000]"), range.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Parameters.parse("m", specs, Map.of()));
        assertTrue(missing.getMessage().contains("m.reference is required"), missing.getMessage());
        IllegalArgumentException choice = assertThrows(IllegalArgumentException.class,
                () -> Parameters.parse("m", specs, Map.of("loss", "l1", "reference", "x")));
        assertTrue(choice.getMessage().contains("one of mse, bce"), choice.getMessage());
        IllegalArgumentException bool = assertThrows(IllegalArgumentException.class,
                () -> Parameters.parse("m", specs, Map.of("attention", "yes", "reference", "x")));
        assertTrue(bool.getMessage().contains("true or false"), bool.getMessage());
    }

    @Test
    void invalidDeclarationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ParameterSpec.ofInt("BatchSize", 1, 1, 2, "x"));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpec.ofInt("batch", 5, 1, 2, "x"));
    }
}
