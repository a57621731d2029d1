package io.github.deepc.anomaly.eval.testplugins;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fast plugins for the evaluation tests (registered in the test META-INF/services): no native code, no training. */
public final class EvalTestPlugins {
    private EvalTestPlugins() {
    }

    /** Model {@code test-mean}: reconstructs every image as the mean training image; {@code fail=true} throws in fit. */
    public static final class MeanModelProvider implements ModelProvider {
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
            return EnumSet.of(OutputKind.RECONSTRUCTION);
        }

        @Override
        public AnomalyModel create(Parameters params) {
            return new MeanModel(params.getBoolean("fail"));
        }
    }

    /** The model of {@link MeanModelProvider}. */
    static final class MeanModel implements AnomalyModel {
        private final boolean fail;
        private int w;
        private int h;
        private float[] mean;

        MeanModel(boolean fail) {
            this.fail = fail;
        }

        @Override
        public Set<OutputKind> outputs() {
            return EnumSet.of(OutputKind.RECONSTRUCTION);
        }

        @Override
        public TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
            if (fail) {
                throw new IllegalStateException("training diverged (test failure)");
            }
            w = normals.get(0).width();
            h = normals.get(0).height();
            mean = new float[w * h];
            for (GrayImage g : normals) {
                float[] p = g.unsafePixels();
                for (int i = 0; i < p.length; i++) {
                    mean[i] += p[i] / normals.size();
                }
            }
            context.listener().onEpoch(new EpochReport(1, 1, 0.0, normals.size(), 0.01, Map.of()));
            return new TrainingSummary(normals.size(), 1, 0.0, normals.size() / 0.01, 0.01);
        }

        @Override
        public List<ModelOutput> infer(List<GrayImage> images) {
            List<ModelOutput> out = new ArrayList<>();
            for (GrayImage g : images) {
                out.add(ModelOutput.builder(g).reconstruction(mean.clone()).build());
            }
            return out;
        }

        @Override
        public void writeState(OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(w);
            d.writeInt(h);
            for (float v : mean) {
                d.writeFloat(v);
            }
            d.flush();
        }

        @Override
        public void readState(InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            w = d.readInt();
            h = d.readInt();
            mean = new float[w * h];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = d.readFloat();
            }
        }
    }

    /** Scorer {@code test-mse}: mean squared error to the reconstruction, with a heat map. */
    public static final class MseScorerProvider implements ScorerProvider {
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

    /** Scorer {@code test-latent}: needs a latent vector, which {@code test-mean} does not produce. */
    public static final class LatentScorerProvider implements ScorerProvider {
        @Override
        public String id() {
            return "test-latent";
        }

        @Override
        public String description() {
            return "Latent norm.";
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
            return out -> new Score(out.latent()[0], null);
        }
    }
}
