package io.github.deepc.anomaly.models.oneclass;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SameDiff 1.0.0-M2.1 plumbing of the deep one-class models, with the workarounds the {@code cae} package
 * documents: building the gradient function without its "Added differentiated op" console lines, making training
 * compute the loss (so listeners see it), and releasing a graph's native arrays. (The same as the {@code cae}
 * package's package-private {@code GradientFunctions} and {@code CaeModel} helpers, written while that package is
 * being reworked in parallel; they are to move into one shared graph-support package.)
 */
final class SameDiffSupport {
    private static final Logger LOG = LoggerFactory.getLogger(SameDiffSupport.class);
    private static final String NOISE = "Added differentiated op ";
    private static final Object LOCK = new Object();

    private SameDiffSupport() {
    }

    /**
     * Builds {@code sd}'s gradient function unless it exists: {@code SameDiff.createGradFunction()} prints one line
     * per op to {@code System.out}, which is wrapped meanwhile so that exactly those lines go to the trace log.
     *
     * @param sd a graph with its loss variables set
     */
    static void createQuietGradients(SameDiff sd) {
        if (sd.getFunction("grad") != null) {
            return;
        }
        synchronized (LOCK) {
            PrintStream original = System.out;
            System.setOut(new PrintStream(original, true) {
                @Override
                public void println(String x) {
                    if (x != null && x.startsWith(NOISE)) {
                        LOG.trace("{}", x);
                    } else {
                        super.println(x);
                    }
                }
            });
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(original);
            }
        }
    }

    /**
     * Adam with optional L2 weight decay (added to the gradients, as PyTorch's {@code weight_decay}), the given
     * placeholder mappings, and the loss named as a train evaluation: SameDiff 1.0.0-M2.1 computes only what the
     * gradients need and would otherwise skip the loss op itself, so listeners would see a loss of 0.
     *
     * @param learningRate Adam learning rate
     * @param weightDecay  L2 coefficient, 0 for none
     * @param features     placeholders fed with a batch's feature arrays, in order
     * @param labels       placeholders fed with a batch's label arrays, in order
     * @param loss         the scalar loss variable
     * @return the training configuration
     */
    @SuppressWarnings("rawtypes") // ND4J declares the evaluation map with the raw IEvaluation type
    static TrainingConfig trainingConfig(double learningRate, double weightDecay, List<String> features,
                                         List<String> labels, String loss) {
        TrainingConfig.Builder b = new TrainingConfig.Builder()
                .updater(new Adam(learningRate))
                .dataSetFeatureMapping(features)
                .dataSetLabelMapping(labels)
                .minimize(loss);
        if (weightDecay > 0) {
            b.l2(weightDecay);
        }
        TrainingConfig config = b.build();
        Map<String, List<IEvaluation>> evaluations = new HashMap<>();
        evaluations.put(loss, new ArrayList<>());
        config.setTrainEvaluations(evaluations);
        Map<String, Integer> evaluationLabels = new HashMap<>();
        evaluationLabels.put(loss, 0);
        config.setTrainEvaluationLabels(evaluationLabels);
        return config;
    }

    /**
     * @param a an array of any shape
     * @return its values as float32 in row-major order; {@code a} is left open
     */
    static float[] toFloats(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a.dup('c') : a.castTo(DataType.FLOAT).dup('c');
        float[] v = f.data().asFloat();
        f.close();
        if (v.length != a.length()) {
            throw new IllegalStateException("unexpected buffer length " + v.length + " for " + a.shapeInfoToString());
        }
        return v;
    }

    /**
     * Best-effort release of a graph's native memory: variable and constant arrays, the updater state, the gradient
     * function's arrays and cached inference sessions. What is left is freed when the graph is garbage-collected.
     *
     * @param graph the graph, or {@code null}
     */
    @SuppressWarnings({"rawtypes", "unchecked"}) // ND4J's updater map uses the raw GradientUpdater type
    static void release(SameDiff graph) {
        if (graph == null) {
            return;
        }
        try {
            SameDiff grad = graph.getFunction("grad");
            if (grad != null) {
                closeVariableArrays(grad);
            }
            Map<String, GradientUpdater> updaters = graph.getUpdaterMap();
            if (updaters != null) {
                for (GradientUpdater u : updaters.values()) {
                    Map<String, INDArray> state = u.getState();
                    if (state != null) {
                        state.values().forEach(SameDiffSupport::closeQuietly);
                    }
                }
            }
            closeVariableArrays(graph);
            graph.getSessions().clear();
        } catch (RuntimeException e) {
            LOG.debug("could not release all graph arrays", e);
        }
    }

    private static void closeVariableArrays(SameDiff graph) {
        graph.clearPlaceholders(true);
        graph.clearOpInputs();
        for (SDVariable v : graph.variables()) {
            VariableType t = v.getVariableType();
            if (t == VariableType.VARIABLE || t == VariableType.CONSTANT) {
                closeQuietly(v.getArr());
            }
        }
    }

    private static void closeQuietly(INDArray a) {
        try {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        } catch (RuntimeException e) {
            LOG.trace("array not closed", e);
        }
    }
}
