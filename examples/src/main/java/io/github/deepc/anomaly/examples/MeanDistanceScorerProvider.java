package io.github.deepc.anomaly.examples;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * An example of a <em>fitted</em> scorer plugin: the Euclidean distance of an image's latent vector to the mean of the
 * training normals' latent vectors. Its state (the mean) is framed with {@link StateFormat} (magic number, version,
 * CRC-32), so a truncated or foreign state is refused, as {@code ScorerContract} of {@code anomaly-testkit} checks.
 */
public final class MeanDistanceScorerProvider implements ScorerProvider {
    /** The plugin id. */
    public static final String ID = "example-mean-distance";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Euclidean distance of the latent vector to the mean latent vector of the training normals (example).";
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
        return new MeanDistanceScorer();
    }

    /** Thread-safe once fitted: the mean is replaced as a whole, never changed in place. */
    static final class MeanDistanceScorer implements OutlierScorer {
        private static final int MAGIC = 0x45584D44; // "EXMD"
        private static final int VERSION = 1;
        private volatile float[] mean;

        @Override
        public boolean needsFit() {
            return true;
        }

        @Override
        public void fit(List<ModelOutput> normals) {
            if (normals.isEmpty()) {
                throw new IllegalArgumentException(ID + " needs at least one normal output to fit");
            }
            float[] m = new float[normals.get(0).latent().length];
            for (ModelOutput o : normals) {
                float[] z = o.latent();
                if (z.length != m.length) {
                    throw new IllegalArgumentException(ID + ": latent vectors of " + z.length + " and " + m.length
                            + " values");
                }
                for (int i = 0; i < m.length; i++) {
                    m[i] += z[i] / normals.size();
                }
            }
            mean = m;
        }

        @Override
        public Score score(ModelOutput output) {
            float[] m = mean;
            if (m == null) {
                throw new IllegalStateException(ID + " is not fitted");
            }
            float[] z = output.latent();
            double sum = 0;
            for (int i = 0; i < m.length; i++) {
                double d = z[i] - m[i];
                sum += d * d;
            }
            return new Score(Math.sqrt(sum), null);
        }

        @Override
        public void writeState(OutputStream out) throws IOException {
            float[] m = mean;
            StateFormat.write(out, MAGIC, VERSION, d -> {
                d.writeInt(m.length);
                StateFormat.writeFloats(d, m);
            });
        }

        @Override
        public void readState(InputStream in) throws IOException {
            String what = ID + " scorer";
            mean = StateFormat.read(in, MAGIC, VERSION, what, d -> {
                int dimension = StateFormat.readInt(d, "dimension", 1, StateFormat.MAX_LENGTH, what);
                return StateFormat.readFloats(d, dimension, "mean", what);
            });
        }
    }
}
