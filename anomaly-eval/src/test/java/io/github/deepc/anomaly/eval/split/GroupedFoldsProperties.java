package io.github.deepc.anomaly.eval.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The grouped cross-validation splitter's guarantees on random patient structures. */
class GroupedFoldsProperties {
    /**
     * Patients with 1-4 images each; per patient a code says which labels they have: 0 normal only, 1 abnormal only,
     * 2 both, 3 normal plus an unlabelled image.
     */
    private static List<Sample> samples(List<Integer> imagesPerPatient, List<Integer> kinds) {
        List<Sample> out = new ArrayList<>();
        for (int p = 0; p < imagesPerPatient.size(); p++) {
            int kind = kinds.get(p % kinds.size());
            for (int i = 0; i < imagesPerPatient.get(p); i++) {
                Label label = switch (kind) {
                    case 0 -> Label.NORMAL;
                    case 1 -> Label.ABNORMAL;
                    case 2 -> i % 2 == 0 ? Label.NORMAL : Label.ABNORMAL;
                    default -> i == 0 ? Label.UNKNOWN : Label.NORMAL;
                };
                String id = "p" + p + "-" + i;
                out.add(new Sample(id, Path.of(id + ".png"), "p" + p, label.name(), label));
            }
        }
        // interleave patients, as class folders do
        Collections.shuffle(out, new java.util.Random(imagesPerPatient.size()));
        return out;
    }

    private static boolean usable(List<Sample> all, int folds) {
        Set<String> abnormal = new HashSet<>();
        Set<String> normalOnly = new HashSet<>();
        all.stream().filter(Sample::isAbnormal).forEach(s -> abnormal.add(s.patientId()));
        all.stream().filter(s -> s.label() == Label.NORMAL && !abnormal.contains(s.patientId()))
                .forEach(s -> normalOnly.add(s.patientId()));
        return abnormal.size() >= folds && normalOnly.size() >= folds;
    }

    @Property(tries = 300)
    void everyImageTestedOnceNoPatientOnTwoSidesOnlyNormalsTrain(
            @ForAll @Size(min = 4, max = 60) List<@IntRange(min = 1, max = 4) Integer> perPatient,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 3) Integer> kinds,
            @ForAll @IntRange(min = 2, max = 6) int folds, @ForAll @IntRange(min = 1, max = 3) int repetition,
            @ForAll long seed) {
        List<Sample> all = samples(perPatient, kinds);
        if (!usable(all, folds)) {
            assertThrows(IllegalArgumentException.class, () -> GroupedFolds.of(all, folds, repetition, seed));
            return;
        }
        List<DataSplit> splits = GroupedFolds.of(all, folds, repetition, seed);
        assertEquals(folds, splits.size());
        Map<Sample, Integer> tested = new HashMap<>();
        for (DataSplit split : splits) {
            assertEquals(all, split.assignments().stream().map(DataSplit.Assignment::sample).toList(), "input order kept");
            Set<String> testPatients = new HashSet<>();
            split.test().forEach(s -> testPatients.add(s.patientId()));
            for (Sample s : split.train()) {
                assertEquals(Label.NORMAL, s.label(), "only normals train");
                assertTrue(!testPatients.contains(s.patientId()), "patient " + s.patientId() + " trains and is tested");
            }
            assertTrue(split.test().stream().anyMatch(Sample::isAbnormal), "every fold tests abnormal images");
            assertTrue(split.test().stream().anyMatch(s -> s.label() == Label.NORMAL), "every fold tests normal images");
            assertTrue(!split.train().isEmpty(), "every fold trains");
            split.test().forEach(s -> tested.merge(s, 1, Integer::sum));
            split.validation().forEach(s -> {
                throw new AssertionError("no validation part expected: " + s);
            });
            // all other normals train
            long normals = all.stream().filter(s -> s.label() == Label.NORMAL).count();
            long testedNormals = split.test().stream().filter(s -> s.label() == Label.NORMAL).count();
            assertEquals(normals - testedNormals, split.train().size());
        }
        for (Sample s : all) {
            assertEquals(s.label() == Label.UNKNOWN ? null : 1, tested.get(s), "times tested: " + s.id());
        }
        assertEquals(splits, GroupedFolds.of(all, folds, repetition, seed), "same seed, same folds");
    }

    @Property(tries = 100)
    void foldSizesWithinOnePatientOfEachOther(
            @ForAll @Size(min = 12, max = 80) List<@IntRange(min = 1, max = 3) Integer> perPatient,
            @ForAll @IntRange(min = 2, max = 5) int folds, @ForAll long seed) {
        List<Sample> all = samples(perPatient, List.of(0, 1, 0));
        if (!usable(all, folds)) {
            return;
        }
        for (Label label : List.of(Label.NORMAL, Label.ABNORMAL)) {
            List<Long> sizes = GroupedFolds.of(all, folds, 1, seed).stream()
                    .map(s -> s.test().stream().filter(x -> x.label() == label).count()).toList();
            long spread = Collections.max(sizes) - Collections.min(sizes);
            assertTrue(spread <= 3, label + " images per fold " + sizes);
        }
    }

    @Test
    void repetitionsAndSeedsDealDifferently() {
        List<Sample> all = samples(Collections.nCopies(40, 1), List.of(0, 1));
        assertNotEquals(GroupedFolds.of(all, 5, 1, 42), GroupedFolds.of(all, 5, 2, 42));
        assertNotEquals(GroupedFolds.of(all, 5, 1, 42), GroupedFolds.of(all, 5, 1, 43));
        assertEquals(GroupedFolds.of(all, 5, 1, 42), GroupedFolds.of(new ArrayList<>(all), 5, 1, 42));
    }

    @Test
    void tooFewPatientsOrFoldsAreNamed() {
        List<Sample> all = samples(Collections.nCopies(6, 1), List.of(0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupedFolds.of(all, 5, 1, 1));
        assertTrue(e.getMessage().contains("5 folds need at least 5 normal-only patients"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupedFolds.of(all, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> GroupedFolds.of(all, 2, 0, 1));
    }
}
