package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded detector per executor JVM and detector file: the first task that needs it loads it from the broadcast
 * bytes, every later task of the JVM (all task slots, all stages) reuses it. {@link AnomalyDetector}'s scoring
 * methods may be called concurrently once it is fitted, so the slots share it. Detectors stay loaded for the life of
 * the JVM (a job normally uses one); {@link #loads()} counts loads so that tests can check the reuse.
 */
final class ExecutorDetectors {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDetectors.class);
    private static final Map<String, AnomalyDetector> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorDetectors() {
    }

    /**
     * @param bytes a saved detector file's bytes
     * @return the detector of this JVM for those bytes
     */
    static AnomalyDetector get(byte[] bytes) {
        return LOADED.computeIfAbsent(sha256(bytes), key -> load(key, bytes));
    }

    /**
     * @param scorer a scorer
     * @return the normal class of its detector (loaded in this JVM, reused by local-mode tasks)
     */
    static String normalClass(SparkScorer scorer) {
        return get(scorer.detectorBytes()).config().normalClass();
    }

    /** @return how many detectors this JVM has loaded */
    static int loads() {
        return LOADS.get();
    }

    private static AnomalyDetector load(String key, byte[] bytes) {
        try {
            Path tmp = Files.createTempFile("anomaly-spark-", ".detector");
            try {
                Files.write(tmp, bytes);
                AnomalyDetector d = AnomalyDetector.load(tmp);
                LOADS.incrementAndGet();
                LOG.info("loaded detector {} ({} bytes) in this executor", key.substring(0, 12), bytes.length);
                return d;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the broadcast detector: " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
