package io.github.deepc.anomaly.eval.split;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which split ({@link SplitName}) each sample of an experiment belongs to, made by one of the two protocols below
 * and saved with {@link SplitCsv}. Every sample is assigned exactly once, in input order.
 *
 * <h2>Research protocol ({@link #research})</h2>
 * <ol>
 *   <li>Images are grouped by patient across classes. A patient with at least one abnormal image never enters
 *       training: all of their images, normal ones included, are held out. So no patient whose normals train the
 *       model is ever seen again in validation or test, with any label.</li>
 *   <li>Training takes whole normal-only patients, shuffled with the seed, until it holds
 *       {@code round(trainFraction x all normal images)} images, give or take less than one patient's worth (all
 *       normal-only patients when they hold fewer images than that).</li>
 *   <li>All images of the remaining patients are held out and split by patient into validation
 *       ({@code validationFraction} of the images) and test, separately for the patients with an abnormal image and
 *       for the normal-only ones, so that both parts get about the same share of each class.</li>
 *   <li>Unlabelled images are {@link SplitName#UNUSED unused}.</li>
 * </ol>
 *
 * <h2>Given-test protocol ({@link #givenTest})</h2>
 * Training takes every normal image of a training folder (its other images are unused); the labelled images of a
 * separate test folder are split by patient, stratified as above, into validation ({@code validationFraction}) and
 * test; with fraction 0 they all go to test and there is no validation part. Patients are not matched across the two
 * folders (their ids may follow different schemes); keeping them apart is the data set's business.
 */
public final class DataSplit {
    private final List<Assignment> assignments;

    /**
     * One sample and its split.
     *
     * @param sample the sample
     * @param split  its split
     */
    public record Assignment(Sample sample, SplitName split) {
        /** Requires both. */
        public Assignment {
            Objects.requireNonNull(sample, "sample");
            Objects.requireNonNull(split, "split");
        }
    }

    /**
     * @param assignments the samples with their splits; no file may appear twice
     * @throws IllegalArgumentException when a sample's file appears twice or a training sample is not normal
     */
    public DataSplit(List<Assignment> assignments) {
        this.assignments = List.copyOf(assignments);
        Set<String> seen = new HashSet<>();
        for (Assignment a : this.assignments) {
            if (!seen.add(key(a.sample()))) {
                throw new IllegalArgumentException("sample " + a.sample().path() + " is assigned twice");
            }
            if (a.split() == SplitName.TRAIN && a.sample().label() != Label.NORMAL) {
                throw new IllegalArgumentException("training sample " + a.sample().path() + " is not normal ("
                        + a.sample().label() + "): training sees normal images only");
            }
        }
    }

    /**
     * Splits one labelled data set by the research protocol (see the class comment).
     *
     * @param samples            the samples (labelled; unlabelled ones become unused)
     * @param trainFraction      share of the normal images for training, in [0, 1] (research default 0.7)
     * @param validationFraction share of the held-out images for validation, in [0, 1] (research default 0.5)
     * @param seed               the split's seed
     * @return the split
     */
    public static DataSplit research(List<Sample> samples, double trainFraction, double validationFraction, long seed) {
        checkFraction("train fraction", trainFraction);
        checkFraction("validation fraction", validationFraction);
        Set<String> abnormalPatients = new HashSet<>();
        long normalCount = 0;
        for (Sample s : samples) {
            if (s.label() == Label.ABNORMAL) {
                abnormalPatients.add(s.patientId());
            } else if (s.label() == Label.NORMAL) {
                normalCount++;
            }
        }
        List<Sample> trainCandidates = samples.stream()
                .filter(s -> s.label() == Label.NORMAL && !abnormalPatients.contains(s.patientId())).toList();
        PatientSplit train = PatientSplit.ofCount(trainCandidates, Math.round(trainFraction * normalCount),
                Seeds.mix(seed, "train"));
        Set<Sample> trainSet = new HashSet<>(train.first());
        List<Sample> heldOut = samples.stream()
                .filter(s -> s.label() != Label.UNKNOWN && !trainSet.contains(s)).toList();
        Map<Sample, SplitName> held = stratified(heldOut, abnormalPatients, validationFraction, seed);
        List<Assignment> out = new ArrayList<>();
        for (Sample s : samples) {
            SplitName name = trainSet.contains(s) ? SplitName.TRAIN : held.getOrDefault(s, SplitName.UNUSED);
            out.add(new Assignment(s, name));
        }
        return new DataSplit(out);
    }

    /**
     * Splits by the given-test protocol (see the class comment).
     *
     * @param trainingFolder     the training folder's samples: normals train, the others are unused
     * @param testFolder         the test folder's samples: labelled ones are split into validation and test
     * @param validationFraction share of the test folder's labelled images for validation, in [0, 1]; 0 for none
     * @param seed               the split's seed
     * @return the split, training folder first
     */
    public static DataSplit givenTest(List<Sample> trainingFolder, List<Sample> testFolder, double validationFraction,
                                      long seed) {
        checkFraction("validation fraction", validationFraction);
        Set<String> abnormalPatients = new HashSet<>();
        for (Sample s : testFolder) {
            if (s.label() == Label.ABNORMAL) {
                abnormalPatients.add(s.patientId());
            }
        }
        Map<Sample, SplitName> held = stratified(testFolder.stream().filter(s -> s.label() != Label.UNKNOWN).toList(),
                abnormalPatients, validationFraction, seed);
        List<Assignment> out = new ArrayList<>();
        for (Sample s : trainingFolder) {
            out.add(new Assignment(s, s.label() == Label.NORMAL ? SplitName.TRAIN : SplitName.UNUSED));
        }
        for (Sample s : testFolder) {
            out.add(new Assignment(s, held.getOrDefault(s, SplitName.UNUSED)));
        }
        return new DataSplit(out);
    }

    /** Validation/test by patient, separately for patients with an abnormal image and for the others. */
    private static Map<Sample, SplitName> stratified(List<Sample> heldOut, Set<String> abnormalPatients,
                                                     double validationFraction, long seed) {
        Map<Sample, SplitName> out = new LinkedHashMap<>();
        List<Sample> withAbnormal = heldOut.stream().filter(s -> abnormalPatients.contains(s.patientId())).toList();
        List<Sample> normalOnly = heldOut.stream().filter(s -> !abnormalPatients.contains(s.patientId())).toList();
        assign(out, PatientSplit.of(withAbnormal, validationFraction, Seeds.mix(seed, "validation-abnormal")));
        assign(out, PatientSplit.of(normalOnly, validationFraction, Seeds.mix(seed, "validation-normal")));
        return out;
    }

    private static void assign(Map<Sample, SplitName> out, PatientSplit split) {
        split.first().forEach(s -> out.put(s, SplitName.VALIDATION));
        split.second().forEach(s -> out.put(s, SplitName.TEST));
    }

    private static void checkFraction(String what, double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + f);
        }
    }

    private static String key(Sample s) {
        return s.path().toAbsolutePath().normalize().toString();
    }

    /** @return every sample with its split, in input order */
    public List<Assignment> assignments() {
        return assignments;
    }

    /**
     * @param name a split
     * @return its samples, in input order
     */
    public List<Sample> samples(SplitName name) {
        return assignments.stream().filter(a -> a.split() == name).map(Assignment::sample).toList();
    }

    /** @return the training samples (normals only) */
    public List<Sample> train() {
        return samples(SplitName.TRAIN);
    }

    /** @return the validation samples */
    public List<Sample> validation() {
        return samples(SplitName.VALIDATION);
    }

    /** @return the test samples */
    public List<Sample> test() {
        return samples(SplitName.TEST);
    }

    /** @return image counts per split and label, e.g. {@code train: 938 normal; validation: 201 normal, 1938 abnormal} */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (SplitName n : SplitName.values()) {
            List<Sample> s = samples(n);
            if (s.isEmpty()) {
                continue;
            }
            long abnormal = s.stream().filter(Sample::isAbnormal).count();
            long normal = s.stream().filter(x -> x.label() == Label.NORMAL).count();
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(n.word()).append(": ").append(normal).append(" normal, ").append(abnormal).append(" abnormal");
            if (normal + abnormal < s.size()) {
                b.append(", ").append(s.size() - normal - abnormal).append(" unlabelled");
            }
        }
        return b.toString();
    }

    /**
     * Two splits are equal when they assign the same files, in the same order, to the same splits with the same
     * patients and labels (the paths compared as written).
     *
     * @param o another object
     * @return whether it is an equal split
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataSplit other) || other.assignments.size() != assignments.size()) {
            return false;
        }
        for (int i = 0; i < assignments.size(); i++) {
            Assignment a = assignments.get(i);
            Assignment b = other.assignments.get(i);
            if (a.split() != b.split() || !a.sample().path().equals(b.sample().path())
                    || !a.sample().patientId().equals(b.sample().patientId()) || a.sample().label() != b.sample().label()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Assignment a : assignments) {
            h = 31 * h + Objects.hash(a.sample().path(), a.split());
        }
        return h;
    }

    @Override
    public String toString() {
        return "DataSplit[" + describe() + "]";
    }
}
