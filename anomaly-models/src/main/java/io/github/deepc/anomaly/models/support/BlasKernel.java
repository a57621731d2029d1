package io.github.deepc.anomaly.models.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which OpenBLAS kernel ND4J's bundled OpenBLAS (0.3.19, through JavaCPP 1.5.7) should use on this CPU.
 *
 * <p>Why: OpenBLAS picks its kernels at load time from the CPU's vendor, family and model. 0.3.19 predates AMD's
 * family 0x1A (Zen 5): on such CPUs it falls back to its "Barcelona" kernels (AMD K10, 2007, SSE only), seen with
 * {@code OPENBLAS_VERBOSE=2} ("Core: Barcelona"), and the reference CAE trains 1.6-2.4x slower than with the
 * "Haswell" (AVX2 + FMA) kernels; measured on a shared 2-core Zen 5 machine: 28 images/s against 57-72 with the
 * Haswell, SkylakeX or Zen kernels, which agree within the machine's noise. The variable
 * {@code OPENBLAS_CORETYPE} overrides the choice, but only when the library loads, so a running JVM cannot change
 * it: the command-line tool sets it for the child JVM it starts anyway; embedders set it in the environment before
 * starting theirs (the library logs a warning saying so, once, when it detects the fallback).
 *
 * <p>The rule: no recommendation when {@code OPENBLAS_CORETYPE} is set (the user's choice wins) or the CPU is not an
 * AMD of family 0x1A or later; otherwise {@value #AVX2_CORE} when the CPU has AVX2 and FMA (every such AMD CPU does).
 */
public final class BlasKernel {
    /** The variable OpenBLAS reads for its kernel choice. */
    public static final String CORE_TYPE_VARIABLE = "OPENBLAS_CORETYPE";
    /** The kernel recommended where the bundled OpenBLAS does not know the CPU: AVX2 + FMA. */
    public static final String AVX2_CORE = "Haswell";
    /** The first AMD family the bundled OpenBLAS 0.3.19 does not recognise (Zen 5). */
    static final int FIRST_UNKNOWN_AMD_FAMILY = 0x1A;

    private static final Logger LOG = LoggerFactory.getLogger(BlasKernel.class);
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    private BlasKernel() {
    }

    /**
     * @param env     the environment the native libraries will see
     * @param cpuInfo the contents of {@code /proc/cpuinfo} (empty where unknown)
     * @return the {@value #CORE_TYPE_VARIABLE} value to set, or empty when nothing should be set
     */
    public static Optional<String> recommendedCoreType(Map<String, String> env, String cpuInfo) {
        if (env.containsKey(CORE_TYPE_VARIABLE)) {
            return Optional.empty();
        }
        String vendor = field(cpuInfo, "vendor_id");
        String family = field(cpuInfo, "cpu family");
        String flags = " " + field(cpuInfo, "flags") + " ";
        if (!"AuthenticAMD".equals(vendor) || family.isEmpty()) {
            return Optional.empty();
        }
        int f;
        try {
            f = Integer.parseInt(family);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (f < FIRST_UNKNOWN_AMD_FAMILY || !flags.contains(" avx2 ") || !flags.contains(" fma ")) {
            return Optional.empty();
        }
        return Optional.of(AVX2_CORE);
    }

    /** @return the recommendation for this process's environment and CPU */
    public static Optional<String> recommendedCoreType() {
        return recommendedCoreType(System.getenv(), cpuInfo());
    }

    /** @return {@code /proc/cpuinfo}, or an empty string where it cannot be read (not Linux) */
    public static String cpuInfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Logs, once per JVM, how to get the fast kernels when this process runs on the slow fallback. */
    public static void warnIfOnFallback() {
        // checked once per JVM: the environment and the CPU do not change, and engines are built per fit and model
        if (!CHECKED.compareAndSet(false, true)) {
            return;
        }
        Optional<String> core = recommendedCoreType();
        if (core.isPresent()) {
            LOG.warn("ND4J's bundled OpenBLAS does not recognise this CPU and uses its slow generic kernels (about half "
                    + "the speed); start the JVM with the environment variable {}={} (the command-line tool does this "
                    + "itself)", CORE_TYPE_VARIABLE, core.get());
        }
    }

    /** @return the value of the first {@code name : value} line, or an empty string */
    private static String field(String cpuInfo, String name) {
        for (String line : cpuInfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }
}
