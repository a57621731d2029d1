package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.models.cae.InferenceBatch;
import org.junit.jupiter.api.Test;

/**
 * The GAN inference networks' memory estimate, which {@code inference-batch}'s guard divides the heap by: it covers
 * the self-attention matrices that grow with the square of the map, and a pass that would not fit is cut down.
 */
class InferenceMemoryTest {
    @Test
    void theEstimateCoversTheAttentionMatricesAndGrowsWithTheirSquare() {
        GanArchitecture small = architecture(AlphaGanModel.ID, 64);
        GanArchitecture large = architecture(AlphaGanModel.ID, 128);
        long at64 = DirectPlayers.inferenceBytesPerImage(DirectPlayers.Kind.ALPHA_GAN, small);
        long at128 = DirectPlayers.inferenceBytesPerImage(DirectPlayers.Kind.ALPHA_GAN, large);
        long positions = (64 / 4) * (64 / 4);
        // beta (positions^2) in each of the three networks with attention
        assertTrue(at64 >= 3L * Float.BYTES * positions * positions, "estimate " + at64);
        assertTrue(at128 > 8 * at64, "4x the area, 16x the attention: " + at64 + " -> " + at128);
        long dcgan = DirectPlayers.inferenceBytesPerImage(DirectPlayers.Kind.DCGAN, architecture(DcganModel.ID, 64));
        assertTrue(dcgan >= (long) Float.BYTES * 64 * 64 && dcgan < at64, "dcgan " + dcgan + ", alpha-gan " + at64);
    }

    @Test
    void aLargeRequestAtLargeImagesIsCutToTheBudget() {
        long perImage = DirectPlayers.inferenceBytesPerImage(DirectPlayers.Kind.ALPHA_GAN,
                architecture(AlphaGanModel.ID, 256));
        // 1024 images of 256 px with attention would need tens of GiB
        assertTrue(1024 * perImage > (32L << 30), "estimate " + perImage);
        int n = InferenceBatch.imagesPerPass(AlphaGanModel.ID, 1024, perImage, 256, 256);
        assertTrue(n >= 1 && n * perImage <= Math.max(perImage, Runtime.getRuntime().maxMemory() / 4), "got " + n);
        assertEquals(1024, InferenceBatch.imagesPerPass(DcganModel.ID, 1024, 1, 256, 256));
    }

    private static GanArchitecture architecture(String id, int side) {
        return GanModelTest.model(id, GanModelTest.tiny().build()).architecture(side, side);
    }
}
