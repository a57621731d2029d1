package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadBindingLauncherTest {
    @Test
    void relaunchesOnlyWhenTheUserHasNotChosenAndNotTwice() {
        assertTrue(ThreadBindingLauncher.wanted(Map.of("PATH", "/usr/bin")));
        assertFalse(ThreadBindingLauncher.wanted(Map.of("OMP_PROC_BIND", "false")), "the user's choice wins");
        assertFalse(ThreadBindingLauncher.wanted(Map.of(ThreadBindingLauncher.MARKER, "1")), "a child never relaunches");
    }
}
