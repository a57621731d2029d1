package io.github.deepc.anomaly.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The anomaly-map output next to the other kinds: presence, length check, and the error for an absent one. */
class ModelOutputTest {
    private static final GrayImage INPUT = GrayImage.of(3, 2, new float[6], null);

    @Test
    void anomalyMapIsStoredAndListedAsAKind() {
        float[] map = {0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        ModelOutput o = ModelOutput.builder(INPUT).anomalyMap(map).latent(new float[] {1f}).build();
        assertSame(map, o.anomalyMap(), "not copied, like the reconstruction");
        assertArrayEquals(new float[] {1f}, o.latent());
        assertEquals(Set.of(OutputKind.ANOMALY_MAP, OutputKind.LATENT), o.kinds());
    }

    @Test
    void anomalyMapOfTheWrongSizeIsRefusedWithBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelOutput.builder(INPUT).anomalyMap(new float[5]));
        assertTrue(e.getMessage().contains("anomaly map has 5 values, input has 6"), e.getMessage());
    }

    @Test
    void absentAnomalyMapIsAnErrorNamingIt() {
        ModelOutput o = ModelOutput.builder(INPUT).reconstruction(new float[6]).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, o::anomalyMap);
        assertTrue(e.getMessage().contains("ANOMALY_MAP") && e.getMessage().contains("RECONSTRUCTION"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ModelOutput.builder(INPUT).scalar(OutputKind.ANOMALY_MAP, 1.0), "a map is not a scalar");
    }
}
