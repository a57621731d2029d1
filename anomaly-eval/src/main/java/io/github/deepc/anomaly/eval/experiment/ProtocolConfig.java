package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.eval.split.DataSplit;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How an experiment's data are split (see {@link DataSplit} for the rules).
 *
 * @param type               {@code research} (default) or {@code given-test}
 * @param trainFraction      research: share of the normal images for training (default 0.7)
 * @param validationFraction share of the held-out (research) or test-folder (given-test) images for validation
 *                           (default 0.5; given-test may use 0 for no validation part)
 * @param seed               the split's seed (default 42); the same for every run, so all runs see one split
 * @param test               given-test: the test folder; unset layout, normal class and body part are taken from
 *                           the experiment's data
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtocolConfig(String type, Double trainFraction, Double validationFraction, Long seed, DataConfig test) {
    /** Protocol word: research. */
    public static final String RESEARCH = "research";
    /** Protocol word: given test folder. */
    public static final String GIVEN_TEST = "given-test";
    /** Default share of normals for training. */
    public static final double DEFAULT_TRAIN_FRACTION = 0.7;
    /** Default share of held-out images for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.5;
    /** Default split seed. */
    public static final long DEFAULT_SEED = 42L;

    /** @return the research protocol with its defaults */
    public static ProtocolConfig research() {
        return new ProtocolConfig(RESEARCH, null, null, null, null);
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
        if (!t.equals(RESEARCH) && !t.equals(GIVEN_TEST)) {
            throw new IllegalArgumentException("'protocol.type' must be " + RESEARCH + " or " + GIVEN_TEST + ", got '" + type + "'");
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
     * Loads the data and splits it.
     *
     * @param data    the experiment's data set
     * @param baseDir folder that relative paths are resolved against
     * @return the split
     */
    public DataSplit split(DataConfig data, Path baseDir) {
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
