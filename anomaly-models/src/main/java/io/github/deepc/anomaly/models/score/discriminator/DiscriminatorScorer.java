package io.github.deepc.anomaly.models.score.discriminator;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores an image by how unreal a GAN's discriminator finds it: {@code 1 - D(x)} from the image discriminator
 * ({@link Source#IMAGE}), {@code 1 - C(E(x))} from alpha-GAN's code discriminator ({@link Source#CODE}), or the mean
 * of both ({@link Source#MEAN}). No heat map. Stateless and thread-safe.
 *
 * <p>The provider declares only {@link OutputKind#DISCRIMINATOR_PROBABILITY} as required, because a provider's
 * required outputs cannot depend on its parameters and the scorer is created without seeing the model. With
 * {@code source=code} or {@code mean} the code output is therefore checked here: in {@link #fit(List)}, right after
 * the model is trained (so a detector fails before it is saved), and again per image when scoring.
 */
public final class DiscriminatorScorer implements OutlierScorer {
    /** Which discriminator the score comes from. */
    public enum Source implements Choice {
        /** {@code 1 - D(x)}. */
        IMAGE,
        /** {@code 1 - C(E(x))}. */
        CODE,
        /** The mean of both. */
        MEAN;

        /** @return the parameter word */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param word {@code image}, {@code code} or {@code mean}
         * @return the source
         * @throws IllegalArgumentException for another word
         */
        public static Source of(String word) {
            return Choices.parse(Source.class, "discriminator.source", word);
        }
    }

    private final Source source;

    /** @param source which discriminator to read */
    public DiscriminatorScorer(Source source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** @return which discriminator the score comes from */
    public Source source() {
        return source;
    }

    /** @return whether the model's outputs must be checked for the code output after training */
    @Override
    public boolean needsFit() {
        return source != Source.IMAGE;
    }

    /**
     * Checks that the model produces what this scorer reads (nothing is learned).
     *
     * @throws IllegalStateException when the code discriminator's output is needed and missing
     */
    @Override
    public void fit(List<ModelOutput> normals) {
        if (source != Source.IMAGE && !normals.isEmpty()) {
            requireCode(normals.get(0));
        }
    }

    /**
     * @throws IllegalStateException when the output lacks the discriminator probability this source reads
     */
    @Override
    public Score score(ModelOutput output) {
        double value = switch (source) {
            case IMAGE -> 1.0 - output.scalar(OutputKind.DISCRIMINATOR_PROBABILITY);
            case CODE -> 1.0 - requireCode(output);
            case MEAN -> 1.0 - 0.5 * (output.scalar(OutputKind.DISCRIMINATOR_PROBABILITY) + requireCode(output));
        };
        return new Score(value, null);
    }

    private double requireCode(ModelOutput output) {
        if (!output.kinds().contains(OutputKind.CODE_DISCRIMINATOR_PROBABILITY)) {
            throw new IllegalStateException("scorer discriminator with source=" + source.word() + " needs the model's "
                    + OutputKind.CODE_DISCRIMINATOR_PROBABILITY + " output, but the model produces only "
                    + output.kinds() + "; use source=image or a model with a code discriminator (alpha-gan)");
        }
        return output.scalar(OutputKind.CODE_DISCRIMINATOR_PROBABILITY);
    }

    @Override
    public String toString() {
        return "DiscriminatorScorer[source=" + source.word() + "]";
    }
}
