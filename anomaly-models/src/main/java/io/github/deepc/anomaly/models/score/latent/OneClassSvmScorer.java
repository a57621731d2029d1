package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libsvm's one-class SVM (Sch&ouml;lkopf et al.) on the latent vectors of the training normals. The features are
 * standardised on the training normals (optional) and rounded to float, the SVM is trained with the given kernel,
 * {@code nu} (an upper bound on the fraction of training outliers and a lower bound on the fraction of support
 * vectors) and {@code gamma} ({@link SvmGamma}: {@code scale} by default, as scikit-learn), and an image's score is
 * the <em>negative</em> decision value {@code rho - sum_i alpha_i K(x_i, x)}: positive outside the learnt region,
 * higher = more abnormal, as {@code -OneClassSVM.decision_function} in scikit-learn.
 *
 * <p>Training is deterministic (libsvm's one-class solver draws no random numbers). libsvm prints its progress to
 * {@code System.out} by default; this class routes libsvm's output, for the whole JVM, to the debug log. Scoring a
 * vector costs one kernel evaluation per support vector. No heat map. Thread-safe once fitted.
 */
public final class OneClassSvmScorer implements OutlierScorer {
    /** The scorer id. */
    public static final String ID = "one-class-svm";
    private static final Logger LOG = LoggerFactory.getLogger(OneClassSvmScorer.class);
    private static final int MAGIC = 0x4F435301; // "OCS" + 1
    private static final int VERSION = 1;
    private static final String WHAT = "one-class-svm scorer";
    /** libsvm's kernel cache in MB. */
    private static final double CACHE_MB = 100;
    /** libsvm's stopping tolerance (its default). */
    private static final double SOLVER_EPS = 1e-3;

    private final SvmKernel kernel;
    private final double nu;
    private final SvmGamma gamma;
    private final int degree;
    private final double coef0;
    private final FeatureStandardizer features;
    private final ScorerState<Fitted> state = new ScorerState<>(WHAT, MAGIC, VERSION);

    /** The fitted state; {@code model} is rebuilt from the other fields, so a loaded state scores identically. */
    private record Fitted(Standardizer scaler, double gammaValue, double rho, double[] coef, float[][] supportVectors,
                          svm_model model) {
    }

    /**
     * @param kernel      the kernel
     * @param nu          libsvm's nu, in (0, 1]
     * @param gamma       {@code scale}, {@code auto} or a positive number (rbf, poly and sigmoid kernels)
     * @param degree      polynomial degree (poly kernel), at least 1
     * @param coef0       the kernel's additive constant (poly and sigmoid kernels)
     * @param standardize whether to standardise each feature on the training latents first
     * @throws IllegalArgumentException naming the parameter when a value is invalid
     */
    public OneClassSvmScorer(SvmKernel kernel, double nu, String gamma, int degree, double coef0, boolean standardize) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        if (!(nu > 0 && nu <= 1)) {
            throw new IllegalArgumentException("parameter one-class-svm.nu must be in (0, 1], got " + nu);
        }
        if (degree < 1) {
            throw new IllegalArgumentException("parameter one-class-svm.degree must be at least 1, got " + degree);
        }
        if (!Double.isFinite(coef0)) {
            throw new IllegalArgumentException("parameter one-class-svm.coef0 must be finite, got " + coef0);
        }
        this.nu = nu;
        this.gamma = SvmGamma.parse(gamma);
        this.degree = degree;
        this.coef0 = coef0;
        this.features = new FeatureStandardizer(ID, standardize);
    }

    @Override
    public boolean needsFit() {
        return true;
    }

    /**
     * @throws IllegalArgumentException when the latents are unusable or libsvm rejects the problem
     */
    @Override
    public void fit(List<ModelOutput> normals) {
        FeatureStandardizer.Training t = features.fit(normals);
        Standardizer scaler = t.scaler();
        float[][] x = t.points();
        double g = gamma.resolve(x);
        svm_parameter param = parameter(g);
        svm_problem problem = new svm_problem();
        problem.l = x.length;
        problem.y = new double[x.length];
        problem.x = new svm_node[x.length][];
        for (int i = 0; i < x.length; i++) {
            problem.y[i] = 1;
            problem.x[i] = nodes(x[i]);
        }
        param.nu = nu;
        param.cache_size = CACHE_MB;
        param.eps = SOLVER_EPS;
        param.shrinking = 1;
        param.probability = 0;
        param.C = 1;
        param.nr_weight = 0;
        param.weight_label = new int[0];
        param.weight = new double[0];
        String error = svm.svm_check_parameter(problem, param);
        if (error != null) {
            throw new IllegalArgumentException(ID + " parameters rejected by libsvm: " + error);
        }
        long start = System.nanoTime();
        svm_model m = LibsvmTraining.train(problem, param);
        float[][] sv = new float[m.l][];
        for (int i = 0; i < m.l; i++) {
            sv[i] = dense(m.SV[i], scaler.dimension());
        }
        state.set(fitted(scaler, g, m.rho[0], m.sv_coef[0].clone(), sv));
        LOG.debug("one-class SVM ({}, nu={}, gamma={}) fitted on {} latents of {} values in {} s: {} support vectors",
                kernel.word(), nu, g, x.length, scaler.dimension(),
                String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9), m.l);
    }

    private svm_parameter parameter(double g) {
        svm_parameter p = new svm_parameter();
        p.svm_type = svm_parameter.ONE_CLASS;
        p.kernel_type = kernel.code();
        p.degree = degree;
        p.gamma = g;
        p.coef0 = coef0;
        return p;
    }

    private Fitted fitted(Standardizer scaler, double g, double rho, double[] coef, float[][] sv) {
        svm_model m = new svm_model();
        m.param = parameter(g);
        m.nr_class = 2;
        m.l = sv.length;
        m.SV = new svm_node[sv.length][];
        for (int i = 0; i < sv.length; i++) {
            m.SV[i] = nodes(sv[i]);
        }
        m.sv_coef = new double[][] {coef};
        m.rho = new double[] {rho};
        return new Fitted(scaler, g, rho, coef, sv, m);
    }

    /** Dense libsvm nodes, indices 1..d (libsvm's convention). */
    private static svm_node[] nodes(float[] v) {
        svm_node[] n = new svm_node[v.length];
        for (int j = 0; j < v.length; j++) {
            n[j] = node(j + 1, v[j]);
        }
        return n;
    }

    private static svm_node node(int index, double value) {
        svm_node n = new svm_node();
        n.index = index;
        n.value = value;
        return n;
    }

    private static float[] dense(svm_node[] nodes, int dim) {
        float[] v = new float[dim];
        for (svm_node n : nodes) {
            v[n.index - 1] = (float) n.value;
        }
        return v;
    }

    /** @return the score: the negative decision value, positive outside the learnt region */
    @Override
    public Score score(ModelOutput output) {
        Fitted f = state.require();
        double[] q = features.apply(f.scaler, output);
        svm_node[] n = new svm_node[q.length];
        for (int j = 0; j < q.length; j++) {
            n[j] = node(j + 1, q[j]);
        }
        double[] dec = new double[1];
        svm.svm_predict_values(f.model, n, dec);
        return new Score(-dec[0], null);
    }

    /** @return the number of support vectors of the fitted SVM */
    public int supportVectorCount() {
        return state.require().supportVectors.length;
    }

    /** @return the kernel coefficient the fitted SVM uses ({@code scale} and {@code auto} resolved) */
    public double fittedGamma() {
        return state.require().gammaValue;
    }

    /**
     * Format: {@link StateFormat} framing around the kernel code, degree, resolved gamma, coef0, the standardiser,
     * rho, the support-vector coefficients and the support vectors (floats).
     */
    @Override
    public void writeState(OutputStream out) throws IOException {
        state.write(out, (d, f) -> {
            d.writeInt(kernel.code());
            d.writeInt(degree);
            d.writeDouble(f.gammaValue);
            d.writeDouble(coef0);
            d.writeBoolean(features.enabled());
            f.scaler.write(d);
            d.writeDouble(f.rho);
            StateFormat.writeDoubles(d, f.coef);
            StateFormat.writeMatrix(d, f.supportVectors);
        });
    }

    @Override
    public void readState(InputStream in) throws IOException {
        state.read(in, d -> {
            int code = d.readInt();
            SvmKernel k = SvmKernel.ofCode(code);
            int deg = d.readInt();
            double g = d.readDouble();
            double c0 = d.readDouble();
            boolean s = d.readBoolean();
            if (k != kernel || deg != degree || Double.compare(c0, coef0) != 0 || s != features.enabled()) {
                throw new IOException(WHAT + " state was fitted with kernel=" + (k == null ? "#" + code : k.word())
                        + ", degree=" + deg + ", coef0=" + c0 + ", standardize=" + s + " but this scorer has kernel="
                        + kernel.word() + ", degree=" + degree + ", coef0=" + coef0 + ", standardize="
                        + features.enabled());
            }
            if (!(g > 0) || !Double.isFinite(g)) {
                throw new IOException("corrupt " + WHAT + " state: gamma " + g);
            }
            Standardizer scaler = FeatureStandardizer.read(d, WHAT);
            double rho = d.readDouble();
            int count = d.readInt();
            if (count < 1 || count > StateFormat.MAX_LENGTH) {
                throw new IOException("corrupt " + WHAT + " state: " + count + " support vectors");
            }
            double[] coef = new double[count];
            for (int i = 0; i < count; i++) {
                coef[i] = d.readDouble();
            }
            float[][] sv = StateFormat.readMatrix(d, count, scaler.dimension(), "support vectors", WHAT);
            if (sv.length != count || !Double.isFinite(rho)) {
                throw new IOException("corrupt " + WHAT + " state: " + sv.length + " support vectors for " + count
                        + " coefficients, rho " + rho);
            }
            return fitted(scaler, g, rho, coef, sv);
        });
    }

    @Override
    public String toString() {
        Fitted f = state.get();
        return "OneClassSvmScorer[kernel=" + kernel.word() + ", nu=" + nu + ", gamma=" + gamma + ", degree=" + degree
                + ", coef0=" + coef0 + ", standardize=" + features.enabled()
                + (f == null ? ", not fitted" : ", " + f.supportVectors.length + " support vectors") + "]";
    }
}
