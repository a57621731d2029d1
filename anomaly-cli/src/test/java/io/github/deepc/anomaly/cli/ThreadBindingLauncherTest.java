package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadBindingLauncherTest {
    private static final String INTEL = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nflags\t\t: fpu avx2 fma\n";
    private static final String ZEN5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n"
            + "model\t\t: 2\nflags\t\t: fpu sse avx avx2 fma avx512f\n\nprocessor\t: 1\n";

    @Test
    void relaunchesOnlyWhenTheUserHasNotChosenAndNotTwice() {
        assertTrue(ThreadBindingLauncher.wanted(Map.of("PATH", "/usr/bin"), INTEL));
        assertFalse(ThreadBindingLauncher.wanted(Map.of("OMP_PROC_BIND", "false"), INTEL), "the user's choice wins");
        assertFalse(ThreadBindingLauncher.wanted(Map.of(ThreadBindingLauncher.MARKER, "1"), INTEL),
                "a child never relaunches");
        assertFalse(ThreadBindingLauncher.wanted(Map.of(ThreadBindingLauncher.MARKER, "1"), ZEN5),
                "a child never relaunches");
    }

    @Test
    void theChildGetsTheFastBlasKernelWhereTheBundledOpenBlasWouldFallBack() {
        assertEquals(Map.of("OMP_PROC_BIND", "true", "OPENBLAS_CORETYPE", "Haswell"),
                ThreadBindingLauncher.childSettings(Map.of(), ZEN5));
        assertEquals(Map.of("OPENBLAS_CORETYPE", "Haswell"),
                ThreadBindingLauncher.childSettings(Map.of("OMP_PROC_BIND", "false"), ZEN5));
        assertTrue(ThreadBindingLauncher.wanted(Map.of("OMP_PROC_BIND", "false"), ZEN5), "for the kernel alone");
        assertEquals(Map.of("OMP_PROC_BIND", "true"),
                ThreadBindingLauncher.childSettings(Map.of("OPENBLAS_CORETYPE", "Zen"), ZEN5), "the user's kernel wins");
        assertEquals(Map.of("OMP_PROC_BIND", "true"), ThreadBindingLauncher.childSettings(Map.of(), INTEL));
    }
}
