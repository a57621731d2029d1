package io.github.deepc.anomaly.models.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RawPixelsModelTest {
    private static final TrainingContext CONTEXT = new TrainingContext(1, ProgressListener.NONE);

    @Test
    void areaAveragesWholeBlocksWithInvalidPixelsAsZero() {
        float[] px = {
            1, 2, 3, 4,
            5, 6, 7, 8,
            9, 10, 11, 12,
            13, 14, 15, 16};
        boolean[] mask = new boolean[16];
        java.util.Arrays.fill(mask, true);
        mask[15] = false; // 16 counts as 0
        GrayImage img = GrayImage.of(4, 4, px, mask);
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 38f / 4}, AreaResize.resize(img, 2, 2), 1e-6f);
    }

    @Test
    void areaAveragesFractionalFootprints() {
        // 3 -> 2 along x: output 0 covers pixel 0 and half of pixel 1; output 1 half of pixel 1 and pixel 2
        GrayImage img = GrayImage.of(3, 1, new float[] {0, 3, 6}, null);
        assertArrayEquals(new float[] {1f, 5f}, AreaResize.resize(img, 2, 1), 1e-6f);
        // enlarging repeats pixels
        assertArrayEquals(new float[] {0, 0, 3, 3, 6, 6}, AreaResize.resize(img, 6, 1), 1e-6f);
    }

    @Test
    void latentIsTheDownsampledImage() throws IOException {
        RawPixelsModel m = new RawPixelsModel(2);
        assertEquals(Set.of(OutputKind.LATENT), m.outputs());
        GrayImage a = GrayImage.filled(4, 4, 0.25f);
        assertEquals(0, m.fit(List.of(a, a), CONTEXT).epochs());
        ModelOutput o = m.infer(List.of(a)).get(0);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, o.latent());
        assertEquals(Set.of(OutputKind.LATENT), o.kinds());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeState(bytes);
        RawPixelsModel loaded = new RawPixelsModel(2);
        loaded.readState(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(o.latent(), loaded.infer(List.of(a)).get(0).latent());
        IOException other = assertThrows(IOException.class,
                () -> new RawPixelsModel(3).readState(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(other.getMessage().contains("size 2"), other.getMessage());

        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> m.infer(List.of(GrayImage.filled(8, 8, 0f))));
        assertTrue(size.getMessage().contains("4x4"), size.getMessage());
        assertThrows(IllegalStateException.class, () -> new RawPixelsModel(2).infer(List.of(a)));
        IllegalArgumentException param = assertThrows(IllegalArgumentException.class, () -> new RawPixelsModel(0));
        assertTrue(param.getMessage().contains("raw-pixels.size"), param.getMessage());
    }

    @Test
    void providerIsRegistered() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertEquals(Set.of(OutputKind.LATENT), registry.models().get("raw-pixels").outputs());
        try (AnomalyModel m = registry.models().create(PluginSpec.of("raw-pixels"))) {
            assertTrue(m.toString().contains("size=16"), m.toString());
        }
    }
}
