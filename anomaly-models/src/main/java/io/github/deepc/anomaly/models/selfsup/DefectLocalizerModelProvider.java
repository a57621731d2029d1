package io.github.deepc.anomaly.models.selfsup;

import java.util.Optional;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link DefectLocalizerModel} as model {@code defect-localizer}: a network trained on the normals to find
 * seeded synthetic local defects, whose per-pixel anomaly map the {@code anomaly-map} scorer reads (its pooled
 * features also feed the latent scorers). The defaults (16 channels, 4 stages, 10 epochs, learning rate 0.005, pasted
 * and foreign patches of 3-40 % of the image side, positive weight 3) are the best of the settings measured on the
 * shared hand radiographs at 64 px over three patient-grouped splits (see the README); all five defect kinds together
 * scored lower there.
 */
public final class DefectLocalizerModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("channels", 16, 1, 256, "channels of the first stage; each further stage doubles them"),
            ParameterSpec.ofInt("depth", 4, 1, 6, "stride-2 stages; one output cell per 2^depth pixels square"),
            ParameterSpec.ofInt("kernel", 3, 3, 7, "convolution kernel side, odd"),
            ParameterSpec.ofInt("epochs", 10, 1, 10_000, "training epochs"),
            ParameterSpec.ofInt("batch-size", 32, 1, 4096, "training mini-batch size"),
            ParameterSpec.ofDouble("learning-rate", 5e-3, 1e-7, 1.0, "Adam learning rate"),
            ParameterSpec.ofDouble("defect-probability", 0.5, 0.01, 0.99,
                    "share of training images shown with a synthetic defect (the others clean), drawn anew each epoch"),
            ParameterSpec.ofString("defect-kinds", "cut-paste,foreign-patch", "comma-separated defect kinds (" + DefectKind.words()
                    + ") or all"),
            ParameterSpec.ofDouble("min-defect-size", 0.03, 0.001, 1.0,
                    "smallest defect (longer axis) as a share of the shorter image side"),
            ParameterSpec.ofDouble("max-defect-size", 0.4, 0.001, 1.0,
                    "largest defect (longer axis) as a share of the shorter image side"),
            ParameterSpec.ofDouble("min-change", 0.02, 1e-4, 0.5,
                    "smallest pixel change that counts as defect, as a share of the image's value range"),
            ParameterSpec.ofDouble("positive-weight", 3.0, 0.01, 1000.0,
                    "weight of the defect part of the per-cell cross-entropy"),
            InferenceBatch.spec());

    @Override
    public String id() {
        return DefectLocalizerModel.ID;
    }

    @Override
    public String description() {
        return "self-supervised local-anomaly detector: a convolutional network trained to find seeded synthetic "
                + "defects (cut-paste, foreign-patch blends, intensity, blur, noise) in the normals; per-pixel "
                + "anomaly map (score with anomaly-map) and pooled features as latent";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.ANOMALY_MAP, OutputKind.LATENT);
    }

    @Override
    public InputRequirements inputRequirements(Parameters params) {
        return InputRequirements.halvingStages(params.getInt("depth"));
    }

    @Override
    public Optional<String> defaultScorer() {
        return Optional.of("anomaly-map");
    }

    @Override
    public AnomalyModel create(Parameters p) {
        if (p.getInt("kernel") % 2 == 0) {
            throw new IllegalArgumentException("parameter defect-localizer.kernel must be odd, got " + p.getInt("kernel"));
        }
        return new DefectLocalizerModel(new LocalizerOptions(p.getInt("channels"), p.getInt("depth"),
                p.getInt("kernel"), p.getInt("epochs"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                p.getDouble("defect-probability"), DefectKind.parseList(p.getString("defect-kinds")),
                p.getDouble("min-defect-size"), p.getDouble("max-defect-size"), p.getDouble("min-change"),
                p.getDouble("positive-weight"), p.getInt(InferenceBatch.PARAMETER)));
    }
}
