package io.github.deepc.anomaly.models.gan;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes arrays that SameDiff calls hand to the GAN code once they are used, so that their native memory goes back at
 * once instead of when the garbage collector gets round to them. (Graphs themselves are released with the shared
 * {@code GraphSupport.release}.)
 */
final class GraphMemory {
    private static final Logger LOG = LoggerFactory.getLogger(GraphMemory.class);

    private GraphMemory() {
    }

    /**
     * @param arrays arrays returned by a SameDiff call, all owned by the caller, or {@code null}
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
