package io.github.deepc.anomaly.core.preprocessing;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.ParameterType;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pixel value range of a pipeline's output, through what each stage declares
 * ({@link StageProvider#outputRange}), known before any image is read; and which stages would bring images into a
 * range a model needs. Read when a detector is built, like {@link ImageSizes}.
 */
public final class ValueRanges {
    private ValueRanges() {
    }

    /**
     * @param range the range the pipeline's images end in
     * @param stage the stage that last changed the range (the one to look at when it does not fit)
     */
    public record Output(ValueRange range, String stage) {
    }

    /**
     * @param stages   pipeline stages (valid ids and parameters)
     * @param registry where the stages' declarations are looked up
     * @return the range of the pipeline's output, or empty when unknown: the decoded images' range is unknown, so a
     *         pipeline without a stage that sets the range (e.g. {@code normalize}), or with an undeclared stage after
     *         it, has none
     */
    public static Optional<Output> output(List<PluginSpec> stages, PluginRegistry registry) {
        return output(ValidatedStage.of(stages, registry));
    }

    /**
     * @param stages pipeline stages, validated
     * @return the range of the pipeline's output, or empty when unknown (see {@link #output(List, PluginRegistry)})
     */
    public static Optional<Output> output(List<ValidatedStage> stages) {
        Optional<ValueRange> range = Optional.empty();
        String setBy = null;
        for (ValidatedStage s : stages) {
            Optional<ValueRange> next = s.provider().outputRange(s.params(), range);
            if (next.isPresent() && !next.equals(range)) {
                setBy = s.spec().id();
            }
            range = next;
        }
        String stage = setBy;
        return range.map(r -> new Output(r, stage));
    }

    /**
     * Stages that bring any image into {@code needed}: every registered stage whose declared output range, for an
     * unknown input, lies in it, with one choice parameter set (so {@code normalize} with {@code range=symmetric} is
     * found for [-1, 1]) or at its default parameters.
     *
     * @param needed   the range a model needs
     * @param registry the registered stages
     * @return the fixes, e.g. {@code normalize range=unit}, in id order; empty when no stage declares such a range
     */
    public static List<String> fixes(ValueRange needed, PluginRegistry registry) {
        List<String> out = new ArrayList<>();
        for (StageProvider p : registry.stages().providers()) {
            Map<String, String> best = null;
            double bestWidth = -1;
            for (Map<String, String> params : candidates(p)) {
                Optional<ValueRange> r = range(p, params, registry).filter(x -> x.within(needed));
                // the widest fitting range: for [-1, 1] normalize's symmetric range rather than its unit one
                if (r.isPresent() && r.get().max() - r.get().min() > bestWidth) {
                    best = params;
                    bestWidth = r.get().max() - r.get().min();
                }
            }
            if (best != null) {
                out.add(p.id() + best.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                        .reduce("", String::concat));
            }
        }
        return out;
    }

    /** Every word of each choice parameter, one at a time (so the fix names it), then the defaults. */
    private static List<Map<String, String>> candidates(StageProvider p) {
        List<Map<String, String>> out = new ArrayList<>();
        for (ParameterSpec spec : p.parameters()) {
            if (spec.type() == ParameterType.CHOICE) {
                for (String word : spec.choices()) {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put(spec.name(), word);
                    out.add(m);
                }
            }
        }
        out.add(Map.of());
        return out;
    }

    /** The stage's output range for any input, with these parameters; empty when unknown or the parameters do not do. */
    private static Optional<ValueRange> range(StageProvider p, Map<String, String> params, PluginRegistry registry) {
        try {
            return p.outputRange(registry.stages().validate(new PluginSpec(p.id(), params)), Optional.empty());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a stage that needs more parameters than its defaults is no general fix
        }
    }
}
