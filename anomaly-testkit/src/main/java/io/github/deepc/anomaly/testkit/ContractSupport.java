package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** What the contracts share: running work on several threads, state bytes, refusal of damaged state. */
final class ContractSupport {
    /** Threads of the concurrency checks: more than the usual two cores, so calls really overlap. */
    static final int THREADS = 4;

    private ContractSupport() {
    }

    /** Writes state to a stream. */
    @FunctionalInterface
    interface StateWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Reads state from a stream. */
    @FunctionalInterface
    interface StateReader {
        void read(InputStream in) throws IOException;
    }

    static byte[] bytes(StateWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out);
        } catch (IOException e) {
            throw new AssertionError("writing the state failed: " + e, e);
        }
        return out.toByteArray();
    }

    static void read(StateReader reader, byte[] state) {
        try {
            reader.read(new ByteArrayInputStream(state));
        } catch (IOException e) {
            throw new AssertionError("reading back a state just written failed: " + e, e);
        }
    }

    /**
     * Runs every task on {@link #THREADS} threads at once, each thread all tasks in its own order, and returns the
     * results of the first thread's run in task order after checking that every thread got the same ones.
     */
    static <T> List<List<T>> concurrently(List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<T>>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    List<T> results = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), null));
                    for (int k = 0; k < tasks.size(); k++) {
                        int i = (k + offset) % tasks.size();
                        results.set(i, tasks.get(i).call());
                    }
                    return results;
                }));
            }
            List<List<T>> all = new ArrayList<>();
            for (Future<List<T>> f : runs) {
                all.add(f.get());
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent call failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Damaged copies of a state that a reader must refuse with an {@link IOException}: cut short at several points,
     * its first bytes (where a format keeps its magic number) changed, and random bytes of the same length.
     */
    static List<Damaged> damaged(byte[] state, long seed) {
        List<Damaged> out = new ArrayList<>();
        for (int cut : new int[] {0, 1, state.length / 2, state.length - 1}) {
            if (cut >= 0 && cut < state.length) {
                out.add(new Damaged("truncated to " + cut + " of " + state.length + " bytes", Arrays.copyOf(state, cut)));
            }
        }
        byte[] foreignMagic = state.clone();
        for (int i = 0; i < Math.min(4, foreignMagic.length); i++) {
            foreignMagic[i] = (byte) ~foreignMagic[i];
        }
        out.add(new Damaged("first bytes changed (another format's header)", foreignMagic));
        byte[] noise = new byte[state.length];
        new SplittableRandom(seed).nextBytes(noise);
        out.add(new Damaged("random bytes", noise));
        return out;
    }

    /** A damaged state and what was done to it. */
    record Damaged(String what, byte[] bytes) {
    }

    /** Asserts that a fresh reader refuses every damaged copy with an IOException. */
    static void assertRefusesDamaged(String owner, byte[] state, Supplier<StateReader> fresh) {
        if (state.length == 0) {
            return;
        }
        for (Damaged d : damaged(state, state.length)) {
            StateReader reader = fresh.get();
            assertThrows(IOException.class, () -> reader.read(new ByteArrayInputStream(d.bytes())),
                    owner + " must refuse a state " + d.what() + " with an IOException");
        }
    }

    static void assertFinite(String what, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                fail(what + " has a non-finite value " + values[i] + " at index " + i);
            }
        }
    }
}
