package io.github.deepc.anomaly.core.phantom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PhantomProperties {
    private static final HandPhantomGenerator GEN = HandPhantomGenerator.ofSize(64);
    private static final HandPhantomGenerator TINY = HandPhantomGenerator.ofSize(HandPhantomGenerator.MIN_SIZE);

    @Provide
    Arbitrary<AnomalyKind> anomalies() {
        return Arbitraries.of(AnomalyKind.anomalies());
    }

    @Property(tries = 20)
    boolean sameSeedSameKindGivesEqualPhantoms(@ForAll long seed, @ForAll AnomalyKind kind) {
        return GEN.generate(seed, kind).equals(GEN.generate(seed, kind));
    }

    @Property(tries = 15)
    boolean differentSeedsGiveDifferentImages(@ForAll long a, @ForAll long b) {
        Assume.that(a != b);
        return !GEN.generate(a, AnomalyKind.NONE).image().equals(GEN.generate(b, AnomalyKind.NONE).image());
    }

    @Property(tries = 20)
    boolean valuesAreInUnitRangeAndAllValid(@ForAll long seed, @ForAll AnomalyKind kind) {
        Phantom p = GEN.generate(seed, kind);
        for (float v : p.image().unsafePixels()) {
            if (!(v >= 0f && v <= 1f)) {
                return false;
            }
        }
        return p.image().validCount() == p.image().size();
    }

    @Property(tries = 25)
    boolean anomalyChangesExactlyInsideItsNonEmptyMask(@ForAll long seed, @ForAll("anomalies") AnomalyKind kind) {
        float[] normal = GEN.generate(seed, AnomalyKind.NONE).image().pixels();
        Phantom p = GEN.generate(seed, kind);
        float[] abnormal = p.image().pixels();
        boolean[] mask = p.anomalyMask();
        int changedInside = 0;
        int inside = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                inside++;
                if (abnormal[i] != normal[i]) {
                    changedInside++;
                }
            } else if (abnormal[i] != normal[i]) {
                return false;
            }
        }
        return inside > 0 && changedInside > 0;
    }

    @Property(tries = 25)
    boolean normalPhantomsHaveEmptyMasks(@ForAll long seed) {
        Phantom p = GEN.generate(seed, AnomalyKind.NONE);
        return !p.isAbnormal() && p.anomalyPixelCount() == 0;
    }

    @Property(tries = 30)
    boolean anomaliesAreVisibleAtTheSmallestSize(@ForAll long seed, @ForAll("anomalies") AnomalyKind kind) {
        return TINY.generate(seed, kind).anomalyPixelCount() > 0;
    }
}
