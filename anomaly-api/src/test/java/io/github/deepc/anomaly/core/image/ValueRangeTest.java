package io.github.deepc.anomaly.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.model.InputRequirements;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** Value ranges and the value-range part of a model's input requirements. */
class ValueRangeTest {
    @Test
    void rangesPrintShortAndRefuseBadBounds() {
        assertEquals("[0, 1]", ValueRange.UNIT.toString());
        assertEquals("[-1, 1]", ValueRange.SYMMETRIC.toString());
        assertEquals("[0, 255]", ValueRange.BYTE.toString());
        assertEquals("[0.25, 1.1]", new ValueRange(0.25, 1.1).toString());
        assertEquals("[0, +inf)", new ValueRange(0, Double.POSITIVE_INFINITY).toString());
        assertThrows(IllegalArgumentException.class, () -> new ValueRange(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ValueRange(Double.NaN, 0));
    }

    @Test
    void anImagesRangeCoversEveryFinitePixelValidOrNot() {
        GrayImage img = GrayImage.of(2, 2, new float[] {0.5f, -2f, Float.NaN, 3f}, new boolean[] {true, false, true, true});
        assertEquals(Optional.of(new ValueRange(-2, 3)), ValueRange.of(img));
        assertEquals(Optional.empty(), ValueRange.of(GrayImage.filled(1, 1, Float.NaN)));
    }

    @Property
    void scalingContainsEveryProductAndTheHullBothRanges(@ForAll @DoubleRange(min = -100, max = 100) double a,
            @ForAll @DoubleRange(min = -100, max = 100) double b, @ForAll @DoubleRange(min = 0, max = 4) double f,
            @ForAll @DoubleRange(min = 0, max = 4) double g, @ForAll @DoubleRange(min = 0, max = 1) double t,
            @ForAll @DoubleRange(min = 0, max = 1) double u) {
        ValueRange r = new ValueRange(Math.min(a, b), Math.max(a, b));
        double lo = Math.min(f, g);
        double hi = Math.max(f, g);
        ValueRange scaled = r.times(lo, hi);
        double v = r.min() + t * (r.max() - r.min());
        double factor = lo + u * (hi - lo);
        assertTrue(scaled.contains(v * factor, 1e-9), scaled + " lacks " + v + " x " + factor);
        ValueRange hull = r.hull(scaled);
        assertTrue(r.within(hull) && scaled.within(hull) && hull.within(hull));
        assertTrue(r.including(a * 3).contains(a * 3, 0));
    }

    @Test
    void requirementsWithoutARangeTakeAnyRangeAndTheOldConstructorStillWorks() {
        InputRequirements old = new InputRequirements(8, "3 stages");
        assertNull(old.valueRange());
        assertEquals(Optional.empty(), old.rangeViolation(new ValueRange(-1e9, 1e9)));
        assertEquals(InputRequirements.ANY, new InputRequirements(1, ""));
        InputRequirements unit = old.withValueRange(ValueRange.UNIT, "output-activation=sigmoid");
        assertEquals(8, unit.sideMultiple(), "the side requirement is kept");
        assertEquals(Optional.empty(), unit.rangeViolation(new ValueRange(0, 0.5)));
        assertEquals(Optional.of("needs pixel values in [0, 1] (parameter output-activation=sigmoid), but the pipeline"
                + " gives [0, 255]"), unit.rangeViolation(ValueRange.BYTE));
        assertFalse(ValueRange.SYMMETRIC.within(ValueRange.UNIT));
        assertThrows(IllegalArgumentException.class, () -> old.withValueRange(null, "x"));
    }
}
