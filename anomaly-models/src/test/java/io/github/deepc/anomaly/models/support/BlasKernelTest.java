package io.github.deepc.anomaly.models.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel recommendation, and that the recommended kernel computes what the fallback computes: the same small
 * training on the direct engine in two child JVMs, one with {@code OPENBLAS_CORETYPE} unset (where the bundled
 * OpenBLAS picks its own kernel) and one with the recommended kernel, gives the same losses and reconstructions to
 * 1e-5.
 */
class BlasKernelTest {
    private static final String ZEN5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n"
            + "flags\t\t: fpu sse2 avx avx2 fma avx512f\n";
    private static final String ZEN4 = ZEN5.replace("26", "25");
    private static final String INTEL = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nflags\t\t: avx2 fma\n";

    @Test
    void recommendsTheAvx2KernelOnlyWhereTheBundledOpenBlasFallsBack() {
        assertEquals(Optional.of("Haswell"), BlasKernel.recommendedCoreType(Map.of(), ZEN5));
        assertEquals(Optional.empty(), BlasKernel.recommendedCoreType(Map.of("OPENBLAS_CORETYPE", "Zen"), ZEN5),
                "the user's choice wins");
        assertEquals(Optional.empty(), BlasKernel.recommendedCoreType(Map.of(), ZEN4), "known to OpenBLAS 0.3.19");
        assertEquals(Optional.empty(), BlasKernel.recommendedCoreType(Map.of(), INTEL));
        assertEquals(Optional.empty(), BlasKernel.recommendedCoreType(Map.of(), ZEN5.replace(" avx2", "")),
                "no AVX2, no Haswell kernel");
        assertEquals(Optional.empty(), BlasKernel.recommendedCoreType(Map.of(), ""), "no /proc/cpuinfo");
    }

    @Test
    void theRecommendedKernelComputesWhatTheDefaultOneComputes() throws IOException, InterruptedException {
        String cpu = BlasKernel.cpuInfo();
        assumeTrue(cpu.contains(" avx2") && cpu.contains(" fma"), "needs an x86-64 CPU with AVX2 and FMA (Linux)");
        float[] own = probe(null);
        float[] haswell = probe(BlasKernel.AVX2_CORE);
        assertEquals(own.length, haswell.length);
        for (int i = 0; i < own.length; i++) {
            assertEquals(own[i], haswell[i], 1e-5 * Math.max(1, Math.abs(own[i])), "value " + i);
        }
    }

    /** Runs {@link KernelProbe} with the given {@code OPENBLAS_CORETYPE} (or none) and parses its line. */
    private static float[] probe(String coreType) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KernelProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        if (coreType != null) {
            pb.environment().put("OPENBLAS_CORETYPE", coreType);
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe finished");
        assertEquals(0, p.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("probe ")).findFirst()
                .orElseThrow(() -> new AssertionError("no probe line in: " + output));
        String[] f = line.substring(6).trim().split(" ");
        float[] v = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Float.parseFloat(f[i]);
        }
        return v;
    }
}
