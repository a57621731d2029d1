package io.github.deepc.anomaly.core.testplugins;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Plugins used by the core tests (registered in the test META-INF/services). */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** Stage {@code test-scale}: multiplies pixels by a factor. */
    public static final class ScaleStage implements StageProvider {
        @Override
        public String id() {
            return "test-scale";
        }

        @Override
        public String description() {
            return "Multiplies every pixel.";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.ofDouble("factor", 1.0, 0.0, 100.0, "the factor"));
        }

        @Override
        public PreprocessingStage create(Parameters params) {
            float f = (float) params.getDouble("factor");
            return (img, ctx) -> {
                float[] p = img.pixels();
                for (int i = 0; i < p.length; i++) {
                    p[i] *= f;
                }
                return GrayImage.wrap(img.width(), img.height(), p, img.mask());
            };
        }
    }

    /**
     * Stage {@code test-centre}: a fitted stage that subtracts the mean pixel of the training images it learned
     * from (parameter {@code offset}, empty until fitted).
     */
    public static final class CentreStage implements io.github.deepc.anomaly.core.spi.FittedStageProvider {
        @Override
        public String id() {
            return "test-centre";
        }

        @Override
        public String description() {
            return "Subtracts the training images' mean pixel.";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.ofString("offset", "", "learned mean pixel"));
        }

        @Override
        public PreprocessingStage create(Parameters params) {
            float offset = Float.parseFloat(params.getString("offset"));
            return (img, ctx) -> {
                float[] p = img.pixels();
                for (int i = 0; i < p.length; i++) {
                    p[i] -= offset;
                }
                return GrayImage.wrap(img.width(), img.height(), p, img.mask());
            };
        }

        @Override
        public boolean needsFit(java.util.Map<String, String> params) {
            return params.getOrDefault("offset", "").isEmpty();
        }

        @Override
        public java.util.Map<String, String> fit(java.util.Map<String, String> params, List<GrayImage> images) {
            double sum = 0;
            long n = 0;
            for (GrayImage img : images) {
                for (float v : img.unsafePixels()) {
                    sum += v;
                    n++;
                }
            }
            return java.util.Map.of("offset", Float.toString((float) (sum / n)));
        }
    }

    /** Model {@code test-mean}: see {@link MeanImageModel}; {@code fail=true} throws in fit (for failure handling tests). */
    public static final class MeanModel implements ModelProvider {
        @Override
        public String id() {
            return "test-mean";
        }

        @Override
        public String description() {
            return "Mean training image.";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.ofInt("epochs", 1, 1, 10, "ignored"),
                    ParameterSpec.ofBoolean("fail", false, "throw while fitting"));
        }

        @Override
        public Set<OutputKind> outputs() {
            return EnumSet.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT);
        }

        @Override
        public AnomalyModel create(Parameters params) {
            return new MeanImageModel(params.getBoolean("fail"));
        }
    }

    /** Scorer {@code test-mse}: mean squared error to the reconstruction, with a heat map. */
    public static final class MseScorer implements ScorerProvider {
        @Override
        public String id() {
            return "test-mse";
        }

        @Override
        public String description() {
            return "MSE.";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of();
        }

        @Override
        public Set<OutputKind> requiredOutputs() {
            return Set.of(OutputKind.RECONSTRUCTION);
        }

        @Override
        public OutlierScorer create(Parameters params) {
            return out -> {
                float[] x = out.input().unsafePixels();
                float[] r = out.reconstruction();
                float[] se = new float[x.length];
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    se[i] = (x[i] - r[i]) * (x[i] - r[i]);
                    s += se[i];
                }
                return new Score(s / x.length, GrayImage.wrap(out.input().width(), out.input().height(), se, null));
            };
        }
    }

    /** Scorer {@code test-disc}: needs a discriminator, which no test model has. */
    public static final class DiscriminatorScorer implements ScorerProvider {
        @Override
        public String id() {
            return "test-disc";
        }

        @Override
        public String description() {
            return "1 - D(x).";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of();
        }

        @Override
        public Set<OutputKind> requiredOutputs() {
            return Set.of(OutputKind.DISCRIMINATOR_PROBABILITY);
        }

        @Override
        public OutlierScorer create(Parameters params) {
            return out -> new Score(1 - out.scalar(OutputKind.DISCRIMINATOR_PROBABILITY), null);
        }
    }

    /** Scorer {@code test-latent}: needs fitting; distance of the latent to the training latents' mean. */
    public static final class LatentScorer implements ScorerProvider {
        @Override
        public String id() {
            return "test-latent";
        }

        @Override
        public String description() {
            return "Distance to the mean training latent.";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of();
        }

        @Override
        public Set<OutputKind> requiredOutputs() {
            return Set.of(OutputKind.LATENT);
        }

        @Override
        public OutlierScorer create(Parameters params) {
            return new OutlierScorer() {
                private double mean = Double.NaN;

                @Override
                public boolean needsFit() {
                    return true;
                }

                @Override
                public void fit(List<io.github.deepc.anomaly.core.model.ModelOutput> normals) {
                    mean = normals.stream().mapToDouble(o -> o.latent()[0]).average().orElseThrow();
                }

                @Override
                public Score score(io.github.deepc.anomaly.core.model.ModelOutput output) {
                    return new Score(Math.abs(output.latent()[0] - mean), null);
                }
            };
        }
    }

    /** A scorer with the same id as {@link MseScorer}, for the duplicate test (not registered by default). */
    public static class DuplicateMseScorer implements ScorerProvider {
        @Override
        public String id() {
            return "test-mse";
        }

        @Override
        public String description() {
            return "duplicate";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of();
        }

        @Override
        public Set<OutputKind> requiredOutputs() {
            return Set.of();
        }

        @Override
        public OutlierScorer create(Parameters params) {
            return out -> new Score(0, null);
        }
    }

    /** A provider whose constructor throws, for the broken-provider test (not registered by default). */
    public static final class BrokenScorer extends DuplicateMseScorer {
        /** Always fails. */
        public BrokenScorer() {
            throw new IllegalStateException("native library missing");
        }
    }

    /** A provider with an invalid id (not registered by default). */
    public static final class BadIdScorer extends DuplicateMseScorer {
        @Override
        public String id() {
            return "Bad_Id";
        }
    }
}
