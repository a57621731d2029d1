package io.github.deepc.anomaly.models.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The parameter store: body round trips, snapshots, live arrays and its corruption messages. */
class ParameterStoreProperties {
    private static ParameterStore store(int tensors, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParameterStore s = new ParameterStore();
        for (int t = 0; t < tensors; t++) {
            int rank = 1 + rng.nextInt(4);
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = 1 + rng.nextInt(4);
            }
            s.add("t" + t, shape);
            float[] v = s.values("t" + t);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
        }
        return s;
    }

    private static byte[] body(ParameterStore s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Property(tries = 50)
    void theBodyRoundTripsExactly(@ForAll @IntRange(min = 0, max = 6) int tensors, @ForAll long seed)
            throws IOException {
        ParameterStore a = store(tensors, seed);
        ParameterStore b = store(tensors, seed + 1); // same names, other shapes or values
        ParameterStore target = new ParameterStore();
        for (String name : a.names()) {
            target.add(name, a.shape(name));
        }
        target.read(new DataInputStream(new ByteArrayInputStream(body(a))), "test");
        assertArrayEquals(a.snapshot(), target.snapshot());
        assertEquals(a.parameterCount(), target.parameterCount());
        assertEquals(tensors, b.names().size());
    }

    @Property(tries = 30)
    void snapshotsAreCopiesAndRestoreWritesTheLiveArrays(@ForAll @IntRange(min = 1, max = 5) int tensors,
                                                        @ForAll long seed) {
        ParameterStore s = store(tensors, seed);
        float[] live = s.values("t0");
        float[][] snap = s.snapshot();
        live[0] += 1f;
        assertTrue(snap[0][0] != live[0], "the snapshot is a copy");
        s.restore(snap);
        assertEquals(snap[0][0], s.values("t0")[0]);
        assertTrue(live == s.values("t0"), "restore writes into the same array");
    }

    @Test
    void mismatchesAreReportedNamingTheTensor() throws IOException {
        ParameterStore a = new ParameterStore().add("w", 2, 3).add("b", 3);
        byte[] body = body(a);
        IOException shape = assertThrows(IOException.class, () -> new ParameterStore().add("w", 3, 2).add("b", 3)
                .read(new DataInputStream(new ByteArrayInputStream(body)), "cae"));
        assertTrue(shape.getMessage().contains("parameter w has shape [2, 3], expected [3, 2]"), shape.getMessage());
        IOException name = assertThrows(IOException.class, () -> new ParameterStore().add("v", 2, 3).add("b", 3)
                .read(new DataInputStream(new ByteArrayInputStream(body)), "cae"));
        assertTrue(name.getMessage().contains("'w' where 'v' was expected"), name.getMessage());
        IOException count = assertThrows(IOException.class, () -> new ParameterStore().add("w", 2, 3)
                .read(new DataInputStream(new ByteArrayInputStream(body)), "cae"));
        assertTrue(count.getMessage().contains("2 parameter tensors, expected 1"), count.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> a.values("x"));
        assertTrue(unknown.getMessage().contains("known: [w, b]"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.add("w", 1));
        assertThrows(IllegalArgumentException.class, () -> new ParameterStore().add("z", 2, 0));
        assertEquals(List.of("w", "b"), a.names());
    }
}
