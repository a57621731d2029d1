package io.github.deepc.anomaly.models.net;

import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network's trainable values: named float tensors in a fixed order, each one flat row-major {@code float[]} with a
 * declared shape. It is the single source of truth for a model's weights: the direct engine computes on these very
 * arrays (it shares them, so training updates them in place), the SameDiff reference backend copies them in and out,
 * and {@link #write}/{@link #read} are the saved state's body. What layout each tensor uses is the network
 * description's business (the autoencoders document theirs); the store only keeps names, shapes and values.
 *
 * <p>Body format (big-endian, {@link DataOutputStream}): the tensor count, then per tensor its name (UTF), rank,
 * dimensions (ints) and values ({@link StateFormat#writeFloats}: count, then float32s).
 *
 * <p>Not thread-safe.
 */
public final class ParameterStore {
    /** The most dimensions a tensor may have (a bound against corrupt states). */
    private static final int MAX_RANK = 8;

    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    /**
     * Adds a zero tensor at the end of the order.
     *
     * @param name  unique name
     * @param shape dimensions, each at least 1
     * @return this store
     * @throws IllegalArgumentException for a duplicate name or a dimension below 1
     */
    public ParameterStore add(String name, int... shape) {
        Objects.requireNonNull(name, "name");
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is already in the store");
        }
        values.put(name, new float[Math.toIntExact(count(name, shape))]);
        shapes.put(name, shape.clone());
        return this;
    }

    private static long count(String name, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("parameter '" + name + "' has a dimension below 1: "
                        + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    /** @return the tensor names in order */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(values.keySet()));
    }

    /**
     * @param name a tensor's name
     * @return its live values (not a copy: writing them changes the network)
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public float[] values(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; known: " + values.keySet());
        }
        return v;
    }

    /**
     * @param name a tensor's name
     * @return a copy of its shape
     */
    public int[] shape(String name) {
        values(name);
        return shapes.get(name).clone();
    }

    /** @return the number of scalar values in all tensors */
    public long parameterCount() {
        long n = 0;
        for (float[] v : values.values()) {
            n += v.length;
        }
        return n;
    }

    /** @return copies of all tensors' values, in order */
    public float[][] snapshot() {
        float[][] copy = new float[values.size()][];
        int i = 0;
        for (float[] v : values.values()) {
            copy[i++] = v.clone();
        }
        return copy;
    }

    /**
     * Writes values taken by {@link #snapshot()} back into the live arrays.
     *
     * @param snapshot one array per tensor, in order, of the tensors' lengths
     * @throws IllegalArgumentException when the snapshot does not fit
     */
    public void restore(float[][] snapshot) {
        if (snapshot.length != values.size()) {
            throw new IllegalArgumentException("snapshot holds " + snapshot.length + " tensors, the store "
                    + values.size());
        }
        int i = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            float[] target = e.getValue();
            if (snapshot[i].length != target.length) {
                throw new IllegalArgumentException("snapshot of '" + e.getKey() + "' holds " + snapshot[i].length
                        + " values, expected " + target.length);
            }
            System.arraycopy(snapshot[i++], 0, target, 0, target.length);
        }
    }

    /**
     * Writes the body described in the class comment.
     *
     * @param out where to write
     * @throws IOException when writing fails
     */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            out.writeUTF(e.getKey());
            int[] shape = shapes.get(e.getKey());
            out.writeInt(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            StateFormat.writeFloats(out, e.getValue());
        }
    }

    /**
     * Reads a body written by {@link #write} into this store's live arrays; the stored tensors must have this
     * store's names, order and shapes.
     *
     * @param in   the body
     * @param what the state's name, for messages
     * @throws IOException when a count, name, shape or length differs, naming it
     */
    public void read(DataInputStream in, String what) throws IOException {
        int count = in.readInt();
        if (count != values.size()) {
            throw new IOException("corrupt " + what + " state: " + count + " parameter tensors, expected "
                    + values.size());
        }
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            String name = in.readUTF();
            if (!name.equals(e.getKey())) {
                throw new IOException("corrupt " + what + " state: parameter '" + name + "' where '" + e.getKey()
                        + "' was expected");
            }
            int rank = StateFormat.readInt(in, "rank of " + name, 0, MAX_RANK, what);
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = in.readInt();
            }
            if (!Arrays.equals(shape, shapes.get(name))) {
                throw new IOException("corrupt " + what + " state: parameter " + name + " has shape "
                        + Arrays.toString(shape) + ", expected " + Arrays.toString(shapes.get(name)));
            }
            float[] target = e.getValue();
            System.arraycopy(StateFormat.readFloats(in, target.length, "parameter " + name, what), 0, target, 0,
                    target.length);
        }
    }
}
