package io.github.deepc.anomaly.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the tool again in a child JVM whose native thread settings are the fastest measured for ND4J, when the
 * user has not chosen them: {@code OMP_PROC_BIND=true} (OpenMP threads stay on their cores) and
 * {@code OPENBLAS_NUM_THREADS=1} (ND4J parallelises around BLAS itself).
 *
 * <p>Why a second JVM: OpenMP and OpenBLAS read these variables once, when the native libraries load, and a Java
 * process cannot set its own environment. On 2 cores they make the reference CAE train 1.26x and score 1.21x
 * faster ({@code anomaly-benchmarks}' CaeBenchmark, 1341 images: 128 -> 161 and 514 -> 624 images/s). The child inherits the
 * JVM options, class path, arguments and standard streams; its exit code is returned. Set
 * {@code OMP_PROC_BIND} yourself (e.g. {@code false} where several processes share the cores) to run in place.
 */
final class ThreadBindingLauncher {
    /** Marks the child, so that it never relaunches itself. */
    static final String MARKER = "ANOMALY_CLI_RELAUNCHED";

    private ThreadBindingLauncher() {
    }

    /**
     * @param env the current environment
     * @return whether the tool should start a child with the thread settings
     */
    static boolean wanted(Map<String, String> env) {
        return !env.containsKey("OMP_PROC_BIND") && !env.containsKey(MARKER);
    }

    /**
     * @param args the tool's arguments
     * @return the child's exit code, or empty when it could not be started (the caller then runs in place)
     */
    static Optional<Integer> relaunch(String[] args) {
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AnomalyCli.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("OMP_PROC_BIND", "true");
        env.put(MARKER, "1");
        try {
            return Optional.of(pb.start().waitFor());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}
