package io.github.deepc.anomaly.core.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Anomaly size and contrast ranges: defaults keep every phantom as before, larger settings give larger anomalies. */
class AnomalySeverityTest {
    private static final int SIZE = 64;

    @Property(tries = 20)
    void explicitDefaultRangesGiveBitIdenticalPhantoms(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        HandPhantomGenerator plain = HandPhantomGenerator.ofSize(SIZE);
        HandPhantomGenerator explicit = HandPhantomGenerator.builder(SIZE).anomalySize(1, 1).anomalyContrast(1, 1).build();
        for (AnomalyKind kind : AnomalyKind.values()) {
            Phantom a = plain.generate(seed, kind);
            Phantom b = explicit.generate(seed, kind);
            assertArrayEquals(a.image().pixels(), b.image().pixels());
            assertArrayEquals(a.anomalyMask(), b.anomalyMask());
        }
    }

    @Test
    void largerAnomaliesCoverMorePixelsForEveryKind() {
        HandPhantomGenerator small = HandPhantomGenerator.builder(SIZE).anomalySize(1, 1).build();
        HandPhantomGenerator large = HandPhantomGenerator.builder(SIZE).anomalySize(3, 3).build();
        for (AnomalyKind kind : AnomalyKind.anomalies()) {
            long a = 0;
            long b = 0;
            for (long seed = 0; seed < 30; seed++) {
                a += small.generate(seed, kind).anomalyPixelCount();
                b += large.generate(seed, kind).anomalyPixelCount();
            }
            assertTrue(b > a * 1.2, kind + ": " + a + " pixels at size 1, " + b + " at size 3");
        }
    }

    @Test
    void strongerContrastChangesLesionsMore() {
        HandPhantomGenerator weak = HandPhantomGenerator.builder(SIZE).anomalyContrast(0.5, 0.5).build();
        HandPhantomGenerator strong = HandPhantomGenerator.builder(SIZE).anomalyContrast(2, 2).build();
        double dWeak = 0;
        double dStrong = 0;
        for (long seed = 0; seed < 20; seed++) {
            dWeak += change(weak, seed);
            dStrong += change(strong, seed);
        }
        assertTrue(dStrong > 2 * dWeak, "summed change " + dWeak + " at contrast 0.5, " + dStrong + " at 2");
    }

    private static double change(HandPhantomGenerator g, long seed) {
        float[] normal = g.generate(seed, AnomalyKind.NONE).image().pixels();
        float[] lesion = g.generate(seed, AnomalyKind.LESION).image().pixels();
        double d = 0;
        for (int i = 0; i < normal.length; i++) {
            d += Math.abs(lesion[i] - normal[i]);
        }
        return d;
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheirName() {
        for (Runnable r : List.<Runnable>of(
                () -> HandPhantomGenerator.builder(SIZE).anomalySize(0.1, 1),
                () -> HandPhantomGenerator.builder(SIZE).anomalySize(2, 1),
                () -> HandPhantomGenerator.builder(SIZE).anomalyContrast(1, 9))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().startsWith("anomaly "), e.getMessage());
        }
    }
}
