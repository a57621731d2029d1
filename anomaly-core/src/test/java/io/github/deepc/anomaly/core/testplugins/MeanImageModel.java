package io.github.deepc.anomaly.core.testplugins;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
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

/** A test model: reconstructs every image as the mean training image; its latent vector is the image mean. */
public final class MeanImageModel implements AnomalyModel {
    private final boolean fail;
    private int w;
    private int h;
    private float[] mean;

    /**
     * A model that may fail on purpose.
     *
     * @param fail whether {@link #fit} throws, to exercise the callers' failure handling
     */
    public MeanImageModel(boolean fail) {
        this.fail = fail;
    }

    @Override
    public Set<OutputKind> outputs() {
        return EnumSet.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT);
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
        context.listener().onEpoch(new EpochReport(1, 1, 0.0, normals.size(), 0.0, Map.of()));
        return new TrainingSummary(normals.size(), 1, 0.0, normals.size(), 0.0);
    }

    @Override
    public List<ModelOutput> infer(List<GrayImage> images) {
        if (mean == null) {
            throw new IllegalStateException("model not fitted");
        }
        List<ModelOutput> out = new ArrayList<>();
        for (GrayImage g : images) {
            double s = 0;
            for (float v : g.unsafePixels()) {
                s += v;
            }
            out.add(ModelOutput.builder(g).reconstruction(mean.clone()).latent(new float[] {(float) (s / g.size())}).build());
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
