package io.github.deepc.anomaly.models.samediff;

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
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time): the SameDiff 1.0.0-M2.1 plumbing with its workarounds. Builds gradient functions
 * without their "Added differentiated op" console lines, makes training compute the loss (so listeners see it),
 * copies arrays out as float32 and releases a graph's native arrays.
 */
public final class GraphSupport {
    private static final Logger LOG = LoggerFactory.getLogger(GraphSupport.class);
    private static final String NOISE = "Added differentiated op ";
    private static final Object LOCK = new Object();

    private GraphSupport() {
    }

    /**
     * Builds {@code sd}'s gradient function unless it exists. {@code SameDiff.createGradFunction()} in ND4J 1.0.0-M2.1
     * prints one "Added differentiated op ..." line per op with an unconditional {@code System.out.println} (no
     * logger, no flag), which would corrupt a command-line tool's output. No other way to silence it exists, so the
     * swap of {@code System.out} is confined as far as the JVM allows: only for the duration of the call, under one
     * lock; only lines printed by <em>this</em> thread that start with that text go to the trace log (every other
     * thread's output and every other line reach the original stream unchanged); and the original stream is put back
     * only if nobody replaced ours meanwhile, so a concurrent {@code System.setOut} by the application is kept.
     * {@code SameDiff.fit} reuses the function.
     *
     * @param sd a graph with its loss variables set
     */
    public static void createQuietGradients(SameDiff sd) {
        if (sd.getFunction("grad") != null) {
            return;
        }
        synchronized (LOCK) {
            PrintStream original = System.out;
            Thread owner = Thread.currentThread();
            PrintStream filter = new PrintStream(original, true) {
                @Override
                public void println(String x) {
                    if (Thread.currentThread() == owner && x != null && x.startsWith(NOISE)) {
                        LOG.trace("{}", x);
                    } else {
                        super.println(x);
                    }
                }
            };
            System.setOut(filter);
            try {
                sd.createGradFunction();
            } finally {
                if (System.out == filter) {
                    System.setOut(original);
                }
            }
        }
        LOG.debug("created SameDiff gradient function");
    }

    /**
     * Adam with optional L2 weight decay (added to the gradients, as PyTorch's {@code weight_decay}), the given
     * placeholder mappings, and the loss named as a train evaluation: SameDiff 1.0.0-M2.1 computes only what the
     * gradients need, and the gradient of a mean does not need the mean itself, so the loss op would be skipped and
     * listeners would see a loss of 0. Its training session does compute the variables named as train evaluations, so
     * the loss is named there with no evaluation attached.
     *
     * @param learningRate Adam learning rate
     * @param weightDecay  L2 coefficient, 0 for none
     * @param features     placeholders fed with a batch's feature arrays, in order
     * @param labels       placeholders fed with a batch's label arrays, in order
     * @param loss         the scalar loss variable
     * @return the training configuration
     */
    @SuppressWarnings("rawtypes") // ND4J declares the evaluation map with the raw IEvaluation type
    public static TrainingConfig trainingConfig(double learningRate, double weightDecay, List<String> features,
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
     * @return its values as float32 in row-major order; {@code a} is left open (the temporary copy is closed)
     */
    public static float[] toFloats(INDArray a) {
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
    public static void release(SameDiff graph) {
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
                        state.values().forEach(GraphSupport::closeQuietly);
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
