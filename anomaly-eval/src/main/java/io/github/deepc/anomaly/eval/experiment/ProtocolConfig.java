package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.eval.split.DataSplit;
import io.github.deepc.anomaly.eval.split.GroupedFolds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How an experiment's data are split (see {@link DataSplit} and {@link GroupedFolds} for the rules).
 *
 * @param type               {@code research} (default), {@code given-test} or {@code grouped-cv}
 * @param trainFraction      research: share of the normal images for training (default 0.7)
 * @param validationFraction share of the held-out (research) or test-folder (given-test) images for validation
 *                           (default 0.5; given-test may use 0 for no validation part)
 * @param seed               the split's seed (default 42); the same for every run, so all runs see one split
 * @param test               given-test: the test folder; unset layout, normal class and body part are taken from
 *                           the experiment's data
 * @param folds              grouped-cv: number of folds (default 5, at least 2)
 * @param repeats            grouped-cv: how many times the patients are dealt into folds anew (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtocolConfig(String type, Double trainFraction, Double validationFraction, Long seed, DataConfig test,
                             Integer folds, Integer repeats) {
    /** Protocol word: research. */
    public static final String RESEARCH = "research";
    /** Protocol word: given test folder. */
    public static final String GIVEN_TEST = "given-test";
    /** Default share of normals for training. */
    public static final double DEFAULT_TRAIN_FRACTION = 0.7;
    /** Default share of held-out images for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.5;
    /** Protocol word: patient-grouped k-fold cross-validation. */
    public static final String GROUPED_CV = "grouped-cv";
    /** Default split seed. */
    public static final long DEFAULT_SEED = Seeds.DEFAULT_SEED;
    /** Default number of grouped-cv folds. */
    public static final int DEFAULT_FOLDS = 5;

    /**
     * The research and given-test protocols' fields (no folds).
     *
     * @param type               protocol type
     * @param trainFraction      research: share of the normal images for training
     * @param validationFraction share of held-out images for validation
     * @param seed               split seed
     * @param test               given-test: the test folder
     */
    public ProtocolConfig(String type, Double trainFraction, Double validationFraction, Long seed, DataConfig test) {
        this(type, trainFraction, validationFraction, seed, test, null, null);
    }

    /** @return the research protocol with its defaults */
    public static ProtocolConfig research() {
        return new ProtocolConfig(RESEARCH, null, null, null, null);
    }

    /** @return whether this is the grouped cross-validation protocol */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isCrossValidation() {
        return typeOrDefault().equals(GROUPED_CV);
    }

    /** @return grouped-cv: the number of folds; 1 for the single-split protocols */
    public int foldsOrDefault() {
        if (!isCrossValidation()) {
            return 1;
        }
        return folds == null ? DEFAULT_FOLDS : folds;
    }

    /** @return grouped-cv: the number of repetitions; 1 for the single-split protocols */
    public int repeatsOrDefault() {
        return repeats == null || !isCrossValidation() ? 1 : repeats;
    }

    /** @return the protocol type, {@code research} when unset */
    public String typeOrDefault() {
        return type == null ? RESEARCH : type.toLowerCase(Locale.ROOT);
    }

    /** @return the split seed */
    public long seedOrDefault() {
        return seed == null ? DEFAULT_SEED : seed;
    }

    void validate() {
        String t = typeOrDefault();
        if (!t.equals(RESEARCH) && !t.equals(GIVEN_TEST) && !t.equals(GROUPED_CV)) {
            throw new IllegalArgumentException("'protocol.type' must be " + RESEARCH + ", " + GIVEN_TEST + " or " + GROUPED_CV
                    + ", got '" + type + "'");
        }
        if (t.equals(GROUPED_CV)) {
            if (trainFraction != null || validationFraction != null || test != null) {
                throw new IllegalArgumentException("'protocol.trainFraction', 'validationFraction' and 'test' do not apply to"
                        + " the grouped-cv protocol (each fold tests one group of patients and trains on the other normals);"
                        + " use 'folds', 'repeats' and 'seed'");
            }
            if (folds != null && folds < 2) {
                throw new IllegalArgumentException("'protocol.folds' must be at least 2, got " + folds);
            }
            if (repeats != null && repeats < 1) {
                throw new IllegalArgumentException("'protocol.repeats' must be at least 1, got " + repeats);
            }
            return;
        }
        if (folds != null || repeats != null) {
            throw new IllegalArgumentException("'protocol.folds' and 'protocol.repeats' apply only to the " + GROUPED_CV
                    + " protocol, not to " + t);
        }
        checkFraction("protocol.trainFraction", trainFraction);
        checkFraction("protocol.validationFraction", validationFraction);
        if (t.equals(GIVEN_TEST)) {
            if (test == null) {
                throw new IllegalArgumentException("'protocol.test' is required for the given-test protocol (the test folder: {\"path\": ...})");
            }
            test.validate("protocol.test");
            if (trainFraction != null) {
                throw new IllegalArgumentException("'protocol.trainFraction' does not apply to the given-test protocol"
                        + " (training takes every normal image of the data folder)");
            }
        } else if (test != null) {
            throw new IllegalArgumentException("'protocol.test' applies only to the given-test protocol");
        }
    }

    private static void checkFraction(String name, Double f) {
        if (f != null && !(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("'" + name + "' must be in [0, 1], got " + f);
        }
    }

    /**
     * Loads the data and splits it into the grouped-cv folds.
     *
     * @param data    the experiment's data set
     * @param baseDir folder that relative paths are resolved against
     * @return per repetition (from 1), its folds' splits (from fold 1)
     * @throws IllegalStateException when this is not the grouped-cv protocol
     */
    public List<List<DataSplit>> splitIntoFolds(DataConfig data, Path baseDir) {
        if (!isCrossValidation()) {
            throw new IllegalStateException("the " + typeOrDefault() + " protocol has no folds");
        }
        List<Sample> samples = data.load(baseDir, seedOrDefault());
        List<List<DataSplit>> out = new ArrayList<>();
        for (int r = 1; r <= repeatsOrDefault(); r++) {
            out.add(GroupedFolds.of(samples, foldsOrDefault(), r, seedOrDefault()));
        }
        return out;
    }

    /**
     * Loads the data and splits it (single-split protocols; see {@link #splitIntoFolds} for grouped-cv).
     *
     * @param data    the experiment's data set
     * @param baseDir folder that relative paths are resolved against
     * @return the split
     */
    public DataSplit split(DataConfig data, Path baseDir) {
        if (isCrossValidation()) {
            throw new IllegalStateException("the " + GROUPED_CV + " protocol splits into folds: use folds()");
        }
        double vf = validationFraction == null ? DEFAULT_VALIDATION_FRACTION : validationFraction;
        List<Sample> samples = data.load(baseDir, seedOrDefault());
        if (typeOrDefault().equals(GIVEN_TEST)) {
            List<Sample> testSamples = test.inheritFrom(data).load(baseDir, seedOrDefault());
            return DataSplit.givenTest(samples, testSamples, vf, seedOrDefault());
        }
        double tf = trainFraction == null ? DEFAULT_TRAIN_FRACTION : trainFraction;
        return DataSplit.research(samples, tf, vf, seedOrDefault());
    }
}
