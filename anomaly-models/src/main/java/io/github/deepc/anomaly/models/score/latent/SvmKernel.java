package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Locale;
import libsvm.svm_parameter;

/** The kernels of {@link OneClassSvmScorer}, by parameter word, with libsvm's codes. */
public enum SvmKernel implements Choice {
    /** {@code exp(-gamma * |u - v|^2)}. */
    RBF(svm_parameter.RBF),
    /** {@code u . v}. */
    LINEAR(svm_parameter.LINEAR),
    /** {@code (gamma * u . v + coef0)^degree}. */
    POLY(svm_parameter.POLY),
    /** {@code tanh(gamma * u . v + coef0)}. */
    SIGMOID(svm_parameter.SIGMOID);

    private final int code;

    SvmKernel(int code) {
        this.code = code;
    }

    /** @return libsvm's {@code kernel_type} code */
    public int code() {
        return code;
    }

    /** @return the lower-case parameter word, e.g. {@code rbf} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the parameter words of all kernels */
    public static String[] words() {
        return Choices.wordList(SvmKernel.class).toArray(String[]::new);
    }

    /**
     * @param word a parameter word
     * @return its kernel
     * @throws IllegalArgumentException for an unknown word, listing the known ones
     */
    public static SvmKernel of(String word) {
        return Choices.parse(SvmKernel.class, "one-class-svm.kernel", word);
    }

    /**
     * @param code a libsvm code
     * @return its kernel, or {@code null} when none has it
     */
    static SvmKernel ofCode(int code) {
        for (SvmKernel k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
