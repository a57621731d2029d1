package io.github.deepc.anomaly.core.pipeline;

import java.nio.charset.StandardCharsets;

/** Derives independent seeds from one master seed, so that every stochastic step has its own explicit seed. */
public final class Seeds {
    /** The master seed used when none is given: the one definition of the library's default seed. */
    public static final long DEFAULT_SEED = 42L;

    private Seeds() {
    }

    /**
     * SplitMix64 finaliser over the seed combined with a salt: well-mixed, cheap and stable across releases.
     *
     * @param seed master seed
     * @param salt what the derived seed is for (an index, an epoch...)
     * @return the derived seed
     */
    public static long mix(long seed, long salt) {
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seed master seed
     * @param key  a stable name, e.g. a sample id
     * @return the derived seed
     */
    public static long mix(long seed, String key) {
        long h = 1125899906842597L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return mix(seed, h);
    }
}
