package io.github.deepc.anomaly.eval.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PatientSplitProperties {
    private static List<Sample> samples(List<Integer> imagesPerPatient) {
        List<Sample> out = new ArrayList<>();
        for (int p = 0; p < imagesPerPatient.size(); p++) {
            for (int i = 0; i < imagesPerPatient.get(p); i++) {
                String id = "p" + p + "-" + i;
                out.add(new Sample(id, Path.of(id + ".png"), "p" + p, "NORMAL", Label.NORMAL));
            }
        }
        return out;
    }

    @Property(tries = 200)
    void noPatientOnBothSidesAndNothingLost(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 5) Integer> perPatient,
                                            @ForAll @DoubleRange(min = 0, max = 1) double fraction, @ForAll long seed) {
        List<Sample> all = samples(perPatient);
        PatientSplit s = PatientSplit.of(all, fraction, seed);
        Set<String> a = new HashSet<>(s.first().stream().map(Sample::patientId).toList());
        s.second().forEach(x -> assertTrue(!a.contains(x.patientId()), "patient on both sides: " + x.patientId()));
        assertEquals(all.size(), s.first().size() + s.second().size());
        // within one patient's worth (max 5 images) of the target
        assertTrue(Math.abs(s.first().size() - fraction * all.size()) <= 5 + 0.5, "first part size " + s.first().size());
        assertEquals(s, PatientSplit.of(all, fraction, seed), "deterministic per seed");
    }
}
