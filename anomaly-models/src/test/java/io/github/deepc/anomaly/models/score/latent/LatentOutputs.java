package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Fake model outputs that carry only a latent vector, and point sets for the latent-space scorer tests. */
public final class LatentOutputs {
    private static final GrayImage PIXEL = GrayImage.filled(1, 1, 0f);

    private LatentOutputs() {
    }

    /** @return an output whose latent vector is {@code values} */
    public static ModelOutput of(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return ModelOutput.builder(PIXEL).latent(f).build();
    }

    /** @return one output per row */
    public static List<ModelOutput> of(double[][] rows) {
        List<ModelOutput> out = new ArrayList<>();
        for (double[] r : rows) {
            out.add(of(r));
        }
        return out;
    }

    /** @return {@code n} 2-D points from N(centre, sd^2 I) */
    public static double[][] gaussian(int n, double cx, double cy, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] g = normalPair(rng);
            p[i] = new double[] {cx + sd * g[0], cy + sd * g[1]};
        }
        return p;
    }

    private static double[] normalPair(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        return new double[] {u * m, v * m};
    }

    /** @return the rows of {@code a} followed by those of {@code b} */
    public static double[][] concat(double[][] a, double[][] b) {
        double[][] c = new double[a.length + b.length][];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Saves {@code fitted}'s state and loads it into {@code fresh}.
     *
     * @return {@code fresh}
     */
    public static <S extends OutlierScorer> S roundTrip(OutlierScorer fitted, S fresh) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fitted.writeState(bytes);
        fresh.readState(new ByteArrayInputStream(bytes.toByteArray()));
        return fresh;
    }

    /** @return the state bytes of a fitted scorer */
    public static byte[] state(OutlierScorer fitted) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fitted.writeState(bytes);
        return bytes.toByteArray();
    }
}
