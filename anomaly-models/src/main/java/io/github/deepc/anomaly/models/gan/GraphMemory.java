package io.github.deepc.anomaly.models.gan;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-effort release of native memory: arrays returned by SameDiff calls once they are used, and a graph's own
 * arrays when its model is closed. What is left is freed when the objects are garbage-collected. (The same as the
 * {@code cae} package's private helpers, which a shared graph builder is to make common.)
 */
final class GraphMemory {
    private static final Logger LOG = LoggerFactory.getLogger(GraphMemory.class);

    private GraphMemory() {
    }

    /**
     * Closes a graph's variable and constant arrays, its gradient function's and its inference sessions.
     *
     * @param graph the graph, or {@code null}
     */
    static void closeGraph(SameDiff graph) {
        if (graph == null) {
            return;
        }
        try {
            SameDiff grad = graph.getFunction("grad");
            if (grad != null) {
                closeVariableArrays(grad);
            }
            closeVariableArrays(graph);
            graph.getSessions().clear();
        } catch (RuntimeException e) {
            LOG.debug("could not release all GAN graph arrays", e);
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

    /**
     * @param arrays arrays returned by a SameDiff call, all owned by the caller
     */
    static void closeAll(Map<String, INDArray> arrays) {
        if (arrays != null) {
            arrays.values().forEach(GraphMemory::closeQuietly);
        }
    }

    /**
     * @param a an array the caller owns, or {@code null}
     */
    static void closeQuietly(INDArray a) {
        try {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        } catch (RuntimeException e) {
            LOG.trace("array not closed", e);
        }
    }
}
