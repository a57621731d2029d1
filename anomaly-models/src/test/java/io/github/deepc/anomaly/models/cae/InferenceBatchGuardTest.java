package io.github.deepc.anomaly.models.cae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The memory guard of {@code inference-batch}: as many images per pass as the budget holds, never fewer than one. */
class InferenceBatchGuardTest {
    @Test
    void aPassThatFitsKeepsTheRequestedSize() {
        assertEquals(64, InferenceBatch.imagesPerPass("cae", 64, 1 << 20, 64, 64, 64L << 20));
        assertEquals(1, InferenceBatch.imagesPerPass("cae", 1, 1L << 40, 64, 64, 1));
    }

    @Test
    void aPassThatDoesNotFitIsCutToWhatFits() {
        assertEquals(10, InferenceBatch.imagesPerPass("cae", 64, 1 << 20, 64, 64, 10L << 20));
        assertEquals(1, InferenceBatch.imagesPerPass("cae", 64, 1L << 40, 64, 64, 1L << 30));
    }

    @Property(tries = 200)
    void theResultIsTheLargestCountInBudgetAndAtLeastOne(
            @ForAll @IntRange(min = 1, max = InferenceBatch.MAX) int requested,
            @ForAll @LongRange(min = 1, max = 1L << 36) long bytesPerImage,
            @ForAll @LongRange(min = 1, max = 1L << 40) long budget) {
        int n = InferenceBatch.imagesPerPass("cae", requested, bytesPerImage, 8, 8, budget);
        assertTrue(n >= 1 && n <= requested, "images per pass " + n);
        if (n > 1) {
            assertTrue(n * bytesPerImage <= budget, n + " images over budget");
        }
        if (n < requested) {
            assertTrue((n + 1) * bytesPerImage > budget, "one more image would still fit: " + n);
        }
    }

    @Test
    void theAutoencoderEstimateGrowsWithTheImageArea() {
        AutoencoderSpec spec = AutoencoderSpec.plain(ConvLayout.REFERENCE);
        long small = DirectBackend.heapBytesPerImage(spec, 64, 64, false);
        long large = DirectBackend.heapBytesPerImage(spec, 256, 256, false);
        assertEquals(16.0, (double) large / small, 1.0, "16x the area, about 16x the memory");
        assertTrue(small >= (long) Float.BYTES * 64 * 64, "at least the image itself");
    }
}
