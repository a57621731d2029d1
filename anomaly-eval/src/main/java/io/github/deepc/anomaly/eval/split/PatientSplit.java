package io.github.deepc.anomaly.eval.split;

import io.github.deepc.anomaly.core.data.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Splits samples into two parts with every patient's images on one side only.
 *
 * <p>Patients are shuffled with the seed, then taken into the first part until it holds at least
 * {@code fraction} of the images; so the first part's share is within one patient's worth of images of the target.
 *
 * @param first  the first part (e.g. training)
 * @param second the rest (e.g. held out)
 */
public record PatientSplit(List<Sample> first, List<Sample> second) {
    /** Copies both lists. */
    public PatientSplit {
        first = List.copyOf(first);
        second = List.copyOf(second);
    }

    /**
     * @param samples  the samples to split (order is kept within each part)
     * @param fraction share of images wanted in the first part, in [0, 1]
     * @param seed     shuffling seed
     * @return the split
     */
    public static PatientSplit of(List<Sample> samples, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("split fraction must be in [0, 1], got " + fraction);
        }
        return ofCount(samples, Math.round(fraction * samples.size()), seed);
    }

    /**
     * Splits by an image count instead of a fraction: patients are shuffled with the seed and taken into the first
     * part until it holds at least {@code target} images (all of them when there are fewer), so the first part holds
     * {@code target} images give or take less than one patient's worth.
     *
     * @param samples the samples to split (order is kept within each part)
     * @param target  images wanted in the first part, at least 0
     * @param seed    shuffling seed
     * @return the split
     */
    public static PatientSplit ofCount(List<Sample> samples, long target, long seed) {
        if (target < 0) {
            throw new IllegalArgumentException("split target must be >= 0 images, got " + target);
        }
        Map<String, List<Sample>> byPatient = new LinkedHashMap<>();
        for (Sample s : samples) {
            byPatient.computeIfAbsent(s.patientId(), k -> new ArrayList<>()).add(s);
        }
        List<String> patients = new ArrayList<>(byPatient.keySet());
        patients.sort(null);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = patients.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = patients.get(i);
            patients.set(i, patients.get(j));
            patients.set(j, t);
        }
        java.util.Set<String> firstPatients = new java.util.HashSet<>();
        int taken = 0;
        for (String p : patients) {
            if (taken >= target) {
                break;
            }
            firstPatients.add(p);
            taken += byPatient.get(p).size();
        }
        List<Sample> a = new ArrayList<>();
        List<Sample> b = new ArrayList<>();
        for (Sample s : samples) {
            (firstPatients.contains(s.patientId()) ? a : b).add(s);
        }
        return new PatientSplit(a, b);
    }
}
