package io.github.deepc.anomaly.eval.split;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Patient-grouped k-fold cross-validation for one-class training.
 *
 * <ol>
 *   <li>Labelled images are grouped by patient. Patients with at least one abnormal image and normal-only patients
 *       are dealt into {@code k} groups separately (so every group gets both kinds), each patient whole into one
 *       group: patients are shuffled with the repetition's seed and each goes to the group with the fewest images so
 *       far (lowest index on ties), which keeps the groups within one patient's worth of images of each other.</li>
 *   <li>Fold {@code i} tests every labelled image of group {@code i}'s patients, normal and abnormal, and trains on
 *       the normal images of all other patients. So only normals train, no test patient trains, and every labelled
 *       image is tested exactly once per repetition.</li>
 *   <li>Unlabelled images are {@link SplitName#UNUSED unused}. There is no validation part.</li>
 * </ol>
 * Repetitions deal the patients again with seeds derived from the protocol seed.
 */
public final class GroupedFolds {
    private GroupedFolds() {
    }

    /**
     * @param samples    the samples (labelled ones are dealt; unlabelled ones are unused in every fold)
     * @param folds      number of folds k, at least 2
     * @param repetition the repetition, from 1; each deals the patients anew
     * @param seed       the protocol's seed
     * @return the k folds' splits, fold 1 first, each listing every sample in input order
     * @throws IllegalArgumentException when there are fewer than k normal-only patients or fewer than k patients
     *                                  with an abnormal image (a fold would lack a class)
     */
    public static List<DataSplit> of(List<Sample> samples, int folds, int repetition, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("grouped cross-validation needs at least 2 folds, got " + folds);
        }
        if (repetition < 1) {
            throw new IllegalArgumentException("repetitions count from 1, got " + repetition);
        }
        Map<String, Integer> images = new LinkedHashMap<>();
        Set<String> abnormalPatients = new HashSet<>();
        for (Sample s : samples) {
            if (s.label() == Label.UNKNOWN) {
                continue;
            }
            images.merge(s.patientId(), 1, Integer::sum);
            if (s.label() == Label.ABNORMAL) {
                abnormalPatients.add(s.patientId());
            }
        }
        List<String> withAbnormal = new ArrayList<>();
        List<String> normalOnly = new ArrayList<>();
        for (String p : images.keySet()) {
            (abnormalPatients.contains(p) ? withAbnormal : normalOnly).add(p);
        }
        if (normalOnly.size() < folds || withAbnormal.size() < folds) {
            throw new IllegalArgumentException(folds + " folds need at least " + folds + " normal-only patients and "
                    + folds + " patients with an abnormal image, got " + normalOnly.size() + " and " + withAbnormal.size());
        }
        long repetitionSeed = Seeds.mix(seed, "grouped-cv-repetition-" + repetition);
        Map<String, Integer> group = new HashMap<>();
        deal(withAbnormal, images, folds, Seeds.mix(repetitionSeed, "abnormal"), group);
        deal(normalOnly, images, folds, Seeds.mix(repetitionSeed, "normal"), group);
        List<DataSplit> out = new ArrayList<>(folds);
        for (int fold = 0; fold < folds; fold++) {
            List<DataSplit.Assignment> assignments = new ArrayList<>(samples.size());
            for (Sample s : samples) {
                SplitName name;
                if (s.label() == Label.UNKNOWN) {
                    name = SplitName.UNUSED;
                } else if (group.get(s.patientId()) == fold) {
                    name = SplitName.TEST;
                } else {
                    name = s.label() == Label.NORMAL ? SplitName.TRAIN : SplitName.UNUSED;
                }
                assignments.add(new DataSplit.Assignment(s, name));
            }
            out.add(new DataSplit(assignments));
        }
        return out;
    }

    /** Shuffles the patients (sorted first, so input order does not matter) and deals each to the emptiest group. */
    private static void deal(List<String> patients, Map<String, Integer> images, int folds, long seed,
                             Map<String, Integer> group) {
        List<String> order = new ArrayList<>(patients);
        order.sort(null);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        int[] load = new int[folds];
        for (String p : order) {
            int best = 0;
            for (int g = 1; g < folds; g++) {
                if (load[g] < load[best]) {
                    best = g;
                }
            }
            group.put(p, best);
            load[best] += images.get(p);
        }
    }
}
