package io.github.deepc.anomaly.models.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits the engine's Java loops (column gathers and scatters, activations, bias sums) over a small pool of worker
 * threads. Every split is over independent items (a channel, an image, a row) whose values are each computed by the
 * same operations in the same order as in the serial loop, so results are bit-identical whatever the thread count.
 *
 * <p>Why a pool of our own, started early: with {@code OMP_PROC_BIND=true} OpenMP pins the thread that loads ND4J's
 * native library to the first core, and Linux threads inherit their creator's CPU mask, so workers created later by
 * that thread would all share its one core. {@link #prestart()} creates the workers at once; called before ND4J
 * loads (the command-line tool does so first thing), the workers keep the whole machine. Created later (lazily, on
 * first use), they still give the same results, only without the speed-up where the creator is pinned.
 *
 * <p>Setting: system property {@value #THREADS_PROPERTY} (default: the available processors; 1 runs every loop on
 * the calling thread). Small loops (under {@value #MIN_WORK} values) always run on the calling thread. The workers
 * are daemon threads; the pool lives as long as the JVM.
 */
public final class ParallelRanges {
    /** System property with the number of threads (the caller included) the loops may use. */
    public static final String THREADS_PROPERTY = "anomaly.conv.threads";
    /** Loops touching fewer values run serially: below this, handing work over costs more than it saves. */
    static final long MIN_WORK = 1 << 15;

    /** A loop body over the items {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        /**
         * @param from first item
         * @param to   one past the last item
         */
        void run(int from, int to);
    }

    private static volatile int threads = configuredThreads();
    private static volatile long minWork = MIN_WORK;
    private static ThreadPoolExecutor pool;

    private ParallelRanges() {
    }

    private static int configuredThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be a whole number >= 1, got '"
                + v + "'");
    }

    /**
     * Creates the worker threads now (if more than one thread is configured and they do not exist yet). Call it
     * before anything loads ND4J so that OpenMP's thread binding does not confine the workers to one core.
     */
    public static synchronized void prestart() {
        pool();
    }

    private static synchronized ThreadPoolExecutor pool() {
        int workers = threads - 1;
        if (workers < 1) {
            return null;
        }
        if (pool == null || pool.getCorePoolSize() != workers) {
            if (pool != null) {
                pool.shutdown();
            }
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "anomaly-conv-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            p.prestartAllCoreThreads();
            pool = p;
        }
        return pool;
    }

    /** @return the number of threads (the caller included) the loops use */
    public static int threads() {
        return threads;
    }

    /**
     * Test support: sets the thread count and the smallest parallel loop (0 to split every loop).
     *
     * @param count   threads, at least 1
     * @param minimum smallest number of values worth splitting
     */
    static synchronized void configure(int count, long minimum) {
        if (count < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + count);
        }
        threads = count;
        minWork = minimum;
    }

    /**
     * Runs {@code body} over {@code [0, items)}, split into one contiguous range per thread when the loop is large
     * enough; the calling thread runs the first range. Returns when all ranges are done; the first failure is
     * rethrown.
     *
     * @param items        number of independent items
     * @param valuesPerItem roughly how many values one item touches (for the size threshold)
     * @param body         the loop body
     */
    static void run(int items, long valuesPerItem, Range body) {
        int parts = (int) Math.min(threads, items);
        if (parts <= 1 || (long) items * valuesPerItem < minWork) {
            body.run(0, items);
            return;
        }
        ThreadPoolExecutor p = pool();
        List<Future<?>> pending = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            int from = (int) ((long) items * i / parts);
            int to = (int) ((long) items * (i + 1) / parts);
            pending.add(p.submit(() -> body.run(from, to)));
        }
        RuntimeException failure = null;
        try {
            body.run(0, (int) ((long) items / parts));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                failure = failure != null ? failure : cause instanceof RuntimeException r ? r
                        : new IllegalStateException(cause);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
