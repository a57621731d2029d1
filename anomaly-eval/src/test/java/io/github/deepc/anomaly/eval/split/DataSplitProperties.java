package io.github.deepc.anomaly.eval.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the research and given-test splits. */
class DataSplitProperties {
    /** Largest number of images of one patient in the generated data sets. */
    private static final int MAX_PER_PATIENT = 4 + 3;

    /**
     * Patient p gets {@code code % 5} normal and {@code code / 5} abnormal images (code in 1..19, so at least one),
     * and every seventh patient one unlabelled image more.
     */
    static List<Sample> samples(String prefix, List<Integer> codes) {
        List<Sample> out = new ArrayList<>();
        for (int p = 0; p < codes.size(); p++) {
            String patient = prefix + "p" + p;
            int normals = codes.get(p) % 5;
            int abnormals = codes.get(p) / 5;
            for (int i = 0; i < normals; i++) {
                out.add(sample(patient, "NORMAL", i, Label.NORMAL));
            }
            for (int i = 0; i < abnormals; i++) {
                out.add(sample(patient, "ABNORMAL", i, Label.ABNORMAL));
            }
            if (p % 7 == 6) {
                out.add(sample(patient, "", 0, Label.UNKNOWN));
            }
        }
        return out;
    }

    private static Sample sample(String patient, String cls, int i, Label label) {
        String id = (cls.isEmpty() ? "" : cls + "/") + patient + "-" + i + ".png";
        return new Sample(id, Path.of("/data", id), patient, cls, label);
    }

    private static Map<String, Set<SplitName>> splitsPerPatient(DataSplit split) {
        Map<String, Set<SplitName>> m = new HashMap<>();
        for (DataSplit.Assignment a : split.assignments()) {
            if (a.split() != SplitName.UNUSED) {
                m.computeIfAbsent(a.sample().patientId(), k -> new HashSet<>()).add(a.split());
            }
        }
        return m;
    }

    @Property(tries = 300)
    void researchKeepsPatientsApartAndTrainsOnNormalsOnly(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 19) Integer> codes,
            @ForAll @DoubleRange(min = 0, max = 1) double trainFraction,
            @ForAll @DoubleRange(min = 0, max = 1) double validationFraction, @ForAll long seed) {
        List<Sample> all = samples("", codes);
        DataSplit split = DataSplit.research(all, trainFraction, validationFraction, seed);

        assertEquals(all, split.assignments().stream().map(DataSplit.Assignment::sample).toList(), "every sample once, in order");
        splitsPerPatient(split).forEach((p, s) -> assertEquals(1, s.size(), "patient " + p + " in " + s));
        assertTrue(split.train().stream().allMatch(s -> s.label() == Label.NORMAL), "training sees normals only");
        Set<String> abnormalPatients = new HashSet<>();
        all.stream().filter(Sample::isAbnormal).forEach(s -> abnormalPatients.add(s.patientId()));
        assertTrue(split.train().stream().noneMatch(s -> abnormalPatients.contains(s.patientId())),
                "no patient with an abnormal image trains");
        assertTrue(split.samples(SplitName.UNUSED).stream().allMatch(s -> s.label() == Label.UNKNOWN),
                "only unlabelled images are unused");

        long normals = all.stream().filter(s -> s.label() == Label.NORMAL).count();
        long available = all.stream().filter(s -> s.label() == Label.NORMAL && !abnormalPatients.contains(s.patientId())).count();
        long expected = Math.min(Math.round(trainFraction * normals), available);
        int train = split.train().size();
        assertTrue(train >= expected && train - expected < MAX_PER_PATIENT,
                "train " + train + " images, wanted " + expected + " within one patient's worth");

        for (boolean withAbnormal : new boolean[] {true, false}) {
            List<Sample> stratumVal = split.validation().stream()
                    .filter(s -> abnormalPatients.contains(s.patientId()) == withAbnormal).toList();
            List<Sample> stratumTest = split.test().stream()
                    .filter(s -> abnormalPatients.contains(s.patientId()) == withAbnormal).toList();
            long held = stratumVal.size() + stratumTest.size();
            long want = Math.round(validationFraction * held);
            assertTrue(stratumVal.size() >= want && stratumVal.size() - want < MAX_PER_PATIENT,
                    "validation " + stratumVal.size() + " of " + held + ", wanted " + want);
        }
        assertEquals(split, DataSplit.research(all, trainFraction, validationFraction, seed), "deterministic per seed");
    }

    @Property(tries = 100)
    void givenTestTrainsOnTheTrainingFolderAndSplitsTheTestFolder(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 19) Integer> trainCodes,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 19) Integer> testCodes,
            @ForAll @DoubleRange(min = 0, max = 1) double validationFraction, @ForAll long seed) {
        List<Sample> training = samples("train-", trainCodes);
        List<Sample> test = samples("test-", testCodes);
        DataSplit split = DataSplit.givenTest(training, test, validationFraction, seed);
        assertEquals(training.stream().filter(s -> s.label() == Label.NORMAL).toList(), split.train());
        Set<Sample> testSet = new HashSet<>(test);
        assertTrue(split.validation().stream().allMatch(testSet::contains));
        assertTrue(split.test().stream().allMatch(testSet::contains));
        assertEquals(test.stream().filter(s -> s.label() != Label.UNKNOWN).count(),
                split.validation().size() + split.test().size(), "every labelled test-folder image is used");
        splitsPerPatient(split).forEach((p, s) -> assertEquals(1, s.size(), "patient " + p + " in " + s));
        if (validationFraction == 0) {
            assertTrue(split.validation().isEmpty());
        }
        assertEquals(split, DataSplit.givenTest(training, test, validationFraction, seed), "deterministic per seed");
    }

    @Property(tries = 50)
    void saveAndLoadGiveTheSameSplit(@ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 19) Integer> codes,
                                     @ForAll long seed) throws IOException {
        DataSplit split = DataSplit.research(samples("", codes), 0.7, 0.5, seed);
        Path file = Files.createTempFile("split", ".csv");
        try {
            SplitCsv.write(file, split);
            DataSplit back = SplitCsv.read(file);
            assertEquals(split, back);
            for (int i = 0; i < split.assignments().size(); i++) {
                assertEquals(split.assignments().get(i).sample(), back.assignments().get(i).sample());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 50)
    void differentSeedsUsuallyGiveDifferentSplitsButNeverMixPatients(
            @ForAll @Size(min = 20, max = 40) List<@IntRange(min = 1, max = 4) Integer> codes, @ForAll long seed) {
        List<Sample> all = samples("", codes);
        DataSplit a = DataSplit.research(all, 0.7, 0.5, seed);
        DataSplit b = DataSplit.research(all, 0.7, 0.5, seed + 1);
        assertFalse(a.train().isEmpty());
        splitsPerPatient(b).forEach((p, s) -> assertEquals(1, s.size()));
        assertEquals(a.train().size() + a.validation().size() + a.test().size(),
                b.train().size() + b.validation().size() + b.test().size());
    }
}
