package io.github.deepc.anomaly.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Summary.Stat}: the mean and the <em>sample</em> standard deviation (n - 1), missing values left out. */
class SummaryStatTest {
    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32; population sd 2, sample sd sqrt(32 / 7)
        Summary.Stat s = Summary.Stat.of(List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0));
        assertEquals(5.0, s.mean(), 0.0);
        assertEquals(Math.sqrt(32.0 / 7.0), s.std(), 1e-15);
        assertEquals(8, s.n());
    }

    @Test
    void missingValuesAreLeftOutAndTooFewGiveNaN() {
        Summary.Stat s = Summary.Stat.of(Arrays.asList(1.0, null, Double.NaN, 3.0));
        assertEquals(2, s.n());
        assertEquals(2.0, s.mean(), 0.0);
        assertEquals(Math.sqrt(2.0), s.std(), 1e-15);
        Summary.Stat one = Summary.Stat.of(List.of(0.7));
        assertEquals(1, one.n());
        assertEquals(0.7, one.mean(), 0.0);
        assertTrue(Double.isNaN(one.std()), "no spread from one value");
        Summary.Stat none = Summary.Stat.of(List.of());
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.mean()) && Double.isNaN(none.std()));
        assertEquals("-", none.format());
    }

    @Property(tries = 200)
    void matchesTheTwoPassSampleFormula(@ForAll @Size(min = 2, max = 30) List<@DoubleRange(min = -1, max = 1) Double> v) {
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (v.size() - 1);
        Summary.Stat s = Summary.Stat.of(v);
        assertEquals(mean, s.mean(), 1e-12);
        assertEquals(Math.sqrt(var), s.std(), 1e-12);
        // scaling the values scales the standard deviation
        Summary.Stat scaled = Summary.Stat.of(v.stream().map(x -> 3 * x).toList());
        assertEquals(3 * s.std(), scaled.std(), 1e-11);
    }
}
