package io.github.deepc.anomaly.models.gan;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a test class with ND4J limited to one thread and restores the previous limits afterwards. The GAN tests'
 * networks are tiny: with two OpenMP threads on a shared CPU they spend several times longer waiting at barriers
 * between the many small ops than computing (measured: an alpha-GAN test fit 20.6 s with two threads, 5.9 s with one).
 */
final class Nd4jSingleThread implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Nd4jSingleThread.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Environment env = Nd4j.getEnvironment();
        context.getStore(NS).put("threads", new int[] {env.maxThreads(), env.maxMasterThreads()});
        env.setMaxThreads(1);
        env.setMaxMasterThreads(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int[] previous = context.getStore(NS).get("threads", int[].class);
        if (previous != null) {
            Nd4j.getEnvironment().setMaxThreads(previous[0]);
            Nd4j.getEnvironment().setMaxMasterThreads(previous[1]);
        }
    }
}
