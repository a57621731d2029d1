package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time). Reads and writes one graph variable in the models' saved states (big-endian,
 * {@link DataOutputStream}): its name (UTF), rank, shape (longs), value count and float32 values in row-major order.
 */
public final class GraphVariables {
    private GraphVariables() {
    }

    /**
     * @param d     the state body
     * @param graph the graph
     * @param name  the variable
     * @throws IOException when writing fails
     */
    public static void write(DataOutputStream d, SameDiff graph, String name) throws IOException {
        INDArray arr = graph.getVariable(name).getArr();
        d.writeUTF(name);
        long[] shape = arr.shape();
        d.writeInt(shape.length);
        for (long s : shape) {
            d.writeLong(s);
        }
        StateFormat.writeFloats(d, GraphSupport.toFloats(arr));
    }

    /**
     * Reads a variable written by {@link #write} into the graph's existing array of the same shape.
     *
     * @param d        the state body
     * @param graph    the graph
     * @param expected the variable expected next
     * @param what     the state's name, for messages
     * @throws IOException when the name, shape or count differs
     */
    public static void read(DataInputStream d, SameDiff graph, String expected, String what) throws IOException {
        String name = d.readUTF();
        if (!name.equals(expected)) {
            throw new IOException("corrupt " + what + " state: variable '" + name + "' where '" + expected
                    + "' was expected");
        }
        INDArray target = graph.getVariable(name).getArr();
        long[] want = target.shape();
        int rank = d.readInt();
        if (rank != want.length) {
            throw new IOException("corrupt " + what + " state: variable " + name + " has rank " + rank
                    + ", expected " + want.length);
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = d.readLong();
        }
        if (!Arrays.equals(shape, want)) {
            throw new IOException("corrupt " + what + " state: variable " + name + " has shape "
                    + Arrays.toString(shape) + ", expected " + Arrays.toString(want));
        }
        float[] values = StateFormat.readFloats(d, Math.toIntExact(target.length()), "variable " + name, what);
        target.assign(Nd4j.create(values, shape, DataType.FLOAT));
    }
}
