package io.github.deepc.anomaly.models.gan;

import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a SameDiff graph's gradient function without its console noise: in ND4J 1.0.0-M2.1
 * {@code createGradFunction()} prints one "Added differentiated op ..." line per op to {@code System.out}. While the
 * function is built, those lines go to the trace log instead; everything else still reaches the original stream.
 * (A copy of the {@code cae} package's package-private {@code GradientFunctions}, to be merged when the shared graph
 * builder makes it public.)
 */
final class QuietGradients {
    private static final Logger LOG = LoggerFactory.getLogger(QuietGradients.class);
    private static final String NOISE = "Added differentiated op ";
    private static final Object LOCK = new Object();

    private QuietGradients() {
    }

    /**
     * Builds {@code sd}'s gradient function unless it exists.
     *
     * @param sd a graph with its loss variables set
     */
    static void create(SameDiff sd) {
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
        LOG.debug("created SameDiff gradient function");
    }
}
