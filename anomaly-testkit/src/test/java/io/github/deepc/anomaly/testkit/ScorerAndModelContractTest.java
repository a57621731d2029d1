package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
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
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scorer and model contracts pass well-behaved plugins and catch broken ones. */
class ScorerAndModelContractTest {
    /** Mean squared error minus the normals' mean error; state: a magic number and the offset. */
    static final class OffsetScorer implements OutlierScorer {
        private final boolean checksState;
        private volatile double offset;

        OffsetScorer(boolean checksState) {
            this.checksState = checksState;
        }

        @Override
        public boolean needsFit() {
            return true;
        }

        @Override
        public void fit(List<ModelOutput> normals) {
            offset = normals.stream().mapToDouble(OffsetScorer::mse).average().orElse(0);
        }

        private static double mse(ModelOutput o) {
            float[] in = o.input().unsafePixels();
            float[] rec = o.reconstruction();
            double s = 0;
            for (int i = 0; i < in.length; i++) {
                s += (in[i] - rec[i]) * (in[i] - rec[i]);
            }
            return s / in.length;
        }

        @Override
        public Score score(ModelOutput output) {
            float[] in = output.input().unsafePixels();
            float[] rec = output.reconstruction();
            float[] heat = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                heat[i] = (in[i] - rec[i]) * (in[i] - rec[i]);
            }
            return new Score(mse(output) - offset,
                    GrayImage.wrap(output.input().width(), output.input().height(), heat, null));
        }

        @Override
        public void writeState(OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(0x0FF5E7);
            d.writeDouble(offset);
            d.flush();
        }

        @Override
        public void readState(InputStream in) throws IOException {
            if (!checksState) {
                byte[] all = in.readAllBytes();
                offset = all.length;
                return;
            }
            DataInputStream d = new DataInputStream(in);
            if (d.readInt() != 0x0FF5E7) {
                throw new IOException("not an offset scorer state");
            }
            double v = d.readDouble();
            if (!Double.isFinite(v) || in.read() != -1) {
                throw new IOException("corrupt offset scorer state");
            }
            offset = v;
        }
    }

    private static ScorerProvider scorer(boolean checksState) {
        return new ScorerProvider() {
            @Override
            public String id() {
                return "offset";
            }

            @Override
            public String description() {
                return "offset";
            }

            @Override
            public List<ParameterSpec> parameters() {
                return List.of();
            }

            @Override
            public OutlierScorer create(Parameters params) {
                return new OffsetScorer(checksState);
            }

            @Override
            public Set<OutputKind> requiredOutputs() {
                return Set.of(OutputKind.RECONSTRUCTION);
            }
        };
    }

    @Test
    void aFittedScorerWithAFramedStatePasses() {
        assertEquals(List.of(), Outcomes.failed(Outcomes.run(ScorerContract.of(scorer(true)).tests())));
    }

    @Test
    void aScorerThatAcceptsAnyStateIsCaught() {
        List<String> failed = Outcomes.failed(Outcomes.run(ScorerContract.of(scorer(false)).tests()));
        assertTrue(failed.contains("offset refuses a truncated or foreign state"), failed.toString());
        assertTrue(failed.contains("offset reloads its state bit-identically"), failed.toString());
    }

    /** Reconstructs every image as the training mean; optionally adds unseeded noise at inference. */
    static final class MeanModel implements AnomalyModel {
        private final boolean noisy;
        private float[] mean;

        MeanModel(boolean noisy) {
            this.noisy = noisy;
        }

        @Override
        public Set<OutputKind> outputs() {
            return Set.of(OutputKind.RECONSTRUCTION);
        }

        @Override
        public TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
            mean = new float[normals.get(0).size()];
            for (GrayImage g : normals) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += g.unsafePixels()[i] / normals.size();
                }
            }
            return null;
        }

        @Override
        public List<ModelOutput> infer(List<GrayImage> images) {
            List<ModelOutput> out = new ArrayList<>();
            SplittableRandom r = new SplittableRandom();
            for (GrayImage g : images) {
                float[] rec = mean.clone();
                if (noisy) {
                    rec[0] += (float) r.nextDouble();
                }
                out.add(ModelOutput.builder(g).reconstruction(rec).build());
            }
            return out;
        }

        @Override
        public void writeState(OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(0x4D45414E);
            d.writeInt(mean.length);
            for (float v : mean) {
                d.writeFloat(v);
            }
            d.flush();
        }

        @Override
        public void readState(InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            if (d.readInt() != 0x4D45414E) {
                throw new IOException("not a mean model state");
            }
            int n = d.readInt();
            if (n <= 0 || n > 1 << 24) {
                throw new IOException("corrupt mean model state: " + n + " values");
            }
            float[] m = new float[n];
            for (int i = 0; i < n; i++) {
                m[i] = d.readFloat();
            }
            mean = m;
        }
    }

    private static ModelProvider model(boolean noisy) {
        return new ModelProvider() {
            @Override
            public String id() {
                return "mean";
            }

            @Override
            public String description() {
                return "mean";
            }

            @Override
            public List<ParameterSpec> parameters() {
                return List.of();
            }

            @Override
            public AnomalyModel create(Parameters params) {
                return new MeanModel(noisy);
            }

            @Override
            public Set<OutputKind> outputs() {
                return Set.of(OutputKind.RECONSTRUCTION);
            }
        };
    }

    @Test
    void aDeterministicModelWithAFramedStatePasses() {
        assertEquals(List.of(), Outcomes.failed(Outcomes.run(ModelContract.of(model(false)).tests())));
    }

    @Test
    void aModelWithUnseededInferenceIsCaught() {
        List<String> failed = Outcomes.failed(Outcomes.run(ModelContract.of(model(true)).tests()));
        assertEquals(List.of("mean infers deterministically", "mean reloads its state bit-identically"), failed);
    }
}
