package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.models.support.BlasKernel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the tool again in a child JVM with {@code OMP_PROC_BIND=true} (OpenMP threads stay on their cores), the
 * fastest measured setting for ND4J, when the user has not chosen it.
 *
 * <p>Why a second JVM: OpenMP reads the variable once, when the native libraries load, and a Java process cannot set
 * its own environment. On 2 cores, without binding ND4J's threads migrate between the cores and a second thread
 * gains nothing: the SameDiff models train about 1.3x faster bound ({@code anomaly-benchmarks}' CaeBenchmark, CAE on
 * SameDiff: 100 -> 128 images/s); the autoencoders' direct engine is as fast either way. The child inherits
 * the JVM options, class path, arguments, environment and standard streams; its exit code is returned.
 *
 * <p>The child never outlives the visible process: a SIGTERM or SIGINT to the parent (its shutdown hook) is passed
 * on to the child, which then stops the same way, and a child whose parent has died (even by {@code kill -9}) stops
 * within about a second ({@link #exitWithParent}); either way its unfinished outputs are removed, never published.
 * {@code OPENBLAS_NUM_THREADS=1} is deliberately not set: it makes BLAS single-threaded, which speeds up some SameDiff
 * models ({@code deep-svdd} 1.28x, DCGAN training 1.04x) but slows the autoencoders' direct engine by a quarter
 * (648 -> 470 images/s); users who mostly train {@code deep-svdd} or {@code deep-one-class} may set it themselves. Set {@code OMP_PROC_BIND} yourself (e.g. {@code false} where several processes share the cores) to run
 * in place.
 *
 * <p>The child also gets {@code OPENBLAS_CORETYPE} where ND4J's bundled OpenBLAS would fall back to slow generic
 * kernels on this CPU and the user has not set it ({@link BlasKernel}); for that alone the tool relaunches even when
 * {@code OMP_PROC_BIND} is set.
 */
final class ThreadBindingLauncher {
    /** Marks the child, so that it never relaunches itself. */
    static final String MARKER = "ANOMALY_CLI_RELAUNCHED";
    /** The parent's process id, passed to the child so that it can stop when the parent is gone. */
    static final String PARENT_PID = "ANOMALY_CLI_PARENT_PID";
    /** The child's exit code when it stops because its parent has gone (as for SIGTERM: 128 + 15). */
    static final int PARENT_GONE = 143;

    private ThreadBindingLauncher() {
    }

    /**
     * @param env the current environment
     * @return whether the tool should start a child with the thread settings
     */
    static boolean wanted(Map<String, String> env) {
        return wanted(env, BlasKernel.cpuInfo());
    }

    /**
     * @param env     the current environment
     * @param cpuInfo the contents of {@code /proc/cpuinfo}
     * @return whether the tool should start a child with the thread and kernel settings
     */
    static boolean wanted(Map<String, String> env, String cpuInfo) {
        return !env.containsKey(MARKER) && !childSettings(env, cpuInfo).isEmpty();
    }

    /**
     * @param env     the current environment
     * @param cpuInfo the contents of {@code /proc/cpuinfo}
     * @return the variables the child gets on top of the environment (none the user has set)
     */
    static Map<String, String> childSettings(Map<String, String> env, String cpuInfo) {
        Map<String, String> add = new LinkedHashMap<>();
        if (!env.containsKey("OMP_PROC_BIND")) {
            add.put("OMP_PROC_BIND", "true");
        }
        BlasKernel.recommendedCoreType(env, cpuInfo).ifPresent(core -> add.put(BlasKernel.CORE_TYPE_VARIABLE, core));
        return add;
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
        env.putAll(childSettings(Map.copyOf(env), BlasKernel.cpuInfo()));
        env.put(MARKER, "1");
        env.put(PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return Optional.empty();
        }
        // a SIGTERM/SIGINT to this process runs the hook: pass it on and wait, so no writer is left behind
        Thread forward = new Thread(() -> stop(child), "anomaly-stop-child");
        Runtime.getRuntime().addShutdownHook(forward);
        try {
            return Optional.of(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            return Optional.of(130);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy(); // SIGTERM: the child's own hooks remove its unfinished outputs
        try {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * In a relaunched child: exits with {@link #PARENT_GONE} as soon as the parent process ends, whatever ended it
     * (the parent cannot forward {@code kill -9}). Does nothing in a process that was not relaunched.
     *
     * @param env the current environment
     */
    static void exitWithParent(Map<String, String> env) {
        String pid = env.get(PARENT_PID);
        if (pid == null || !env.containsKey(MARKER)) {
            return;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(pid));
        } catch (NumberFormatException e) {
            return;
        }
        if (parent.isEmpty()) {
            System.exit(PARENT_GONE);
        }
        parent.get().onExit().thenRun(() -> {
            System.err.println("error: the launching process " + pid + " has ended; stopping");
            System.exit(PARENT_GONE);
        });
    }
}
