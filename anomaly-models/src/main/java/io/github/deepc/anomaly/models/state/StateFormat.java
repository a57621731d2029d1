package io.github.deepc.anomaly.models.state;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The framing shared by the saved states of the latent-space scorers and the classical and one-class models: a
 * four-byte magic, a format version, the body, then a CRC-32 of everything before it (big-endian,
 * {@link DataOutputStream}). Reading checks magic, version and checksum and turns a truncated stream into an
 * {@link IOException} saying so, each message naming the state ({@code what}).
 *
 * <p>The array helpers write a length followed by the values; on reading, a length outside {@code [0, max]} is
 * reported as corruption before anything is allocated.
 */
public final class StateFormat {
    /** The largest vector length or row count a state may declare (a bound against corrupt lengths). */
    public static final int MAX_LENGTH = 1 << 24;
    /** The most values a matrix in a state may hold, 2^28 (1 GiB of floats). */
    public static final long MAX_MATRIX_VALUES = 1L << 28;

    private StateFormat() {
    }

    /** Writes a state body. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out where the body goes
         * @throws IOException when writing fails
         */
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Reads a state body.
     *
     * @param <T> what the body decodes to
     */
    @FunctionalInterface
    public interface Reader<T> {
        /**
         * @param in the body
         * @return the decoded state
         * @throws IOException when the body is corrupt
         */
        T read(DataInputStream in) throws IOException;
    }

    /**
     * Reads a state body whose layout depends on the format version (for states that still read older versions).
     *
     * @param <T> what the body decodes to
     */
    @FunctionalInterface
    public interface VersionedReader<T> {
        /**
         * @param in      the body
         * @param version the format version the state declares, within the range the caller accepts
         * @return the decoded state
         * @throws IOException when the body is corrupt
         */
        T read(DataInputStream in, int version) throws IOException;
    }

    /**
     * Writes magic, version, body and checksum.
     *
     * @param out     where to write; flushed, not closed
     * @param magic   the state's magic number
     * @param version the state's format version
     * @param body    writes the body
     * @throws IOException when writing fails
     */
    public static void write(OutputStream out, int magic, int version, Writer body) throws IOException {
        Objects.requireNonNull(out, "out");
        CRC32 crc = new CRC32();
        DataOutputStream d = new DataOutputStream(new CheckedOutputStream(out, crc));
        d.writeInt(magic);
        d.writeInt(version);
        body.write(d);
        d.flush();
        // the checksum itself is written outside the checked stream
        new DataOutputStream(out).writeInt((int) crc.getValue());
        out.flush();
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @param in      where to read; not closed
     * @param magic   the expected magic number
     * @param version the supported format version
     * @param what    the state's name for messages, e.g. {@code "knn scorer"}
     * @param body    decodes the body
     * @param <T>     what the body decodes to
     * @return the decoded state, returned only when the checksum matches
     * @throws IOException when the stream is truncated or the magic, version, body or checksum is wrong
     */
    public static <T> T read(InputStream in, int magic, int version, String what, Reader<T> body) throws IOException {
        Objects.requireNonNull(body, "body");
        return read(in, magic, version, version, what, (d, v) -> body.read(d));
    }

    /**
     * Reads a state written by {@link #write} with any format version in {@code [oldest, newest]}, passing the
     * version to the body reader.
     *
     * @param in     where to read; not closed
     * @param magic  the expected magic number
     * @param oldest the oldest supported format version
     * @param newest the newest supported format version, at least {@code oldest}
     * @param what   the state's name for messages, e.g. {@code "knn scorer"}
     * @param body   decodes the body of the declared version
     * @param <T>    what the body decodes to
     * @return the decoded state, returned only when the checksum matches
     * @throws IOException when the stream is truncated or the magic, version, body or checksum is wrong
     */
    public static <T> T read(InputStream in, int magic, int oldest, int newest, String what, VersionedReader<T> body)
            throws IOException {
        Objects.requireNonNull(in, "in");
        if (oldest > newest) {
            throw new IllegalArgumentException("oldest version " + oldest + " is after newest " + newest);
        }
        CRC32 crc = new CRC32();
        DataInputStream d = new DataInputStream(new CheckedInputStream(in, crc));
        try {
            int m = d.readInt();
            if (m != magic) {
                throw new IOException("not a " + what + " state (bad magic 0x" + Integer.toHexString(m) + ")");
            }
            int v = d.readInt();
            if (v < oldest || v > newest) {
                throw new IOException("unsupported " + what + " state format version " + v + " (supported: "
                        + (oldest == newest ? String.valueOf(newest) : oldest + " to " + newest) + ")");
            }
            T value = body.read(d, v);
            long computed = crc.getValue();
            int stored = new DataInputStream(in).readInt();
            if (stored != (int) computed) {
                throw new IOException("corrupt " + what + " state: checksum mismatch");
            }
            return value;
        } catch (EOFException e) {
            throw new IOException("corrupt " + what + " state: truncated", e);
        }
    }

    /**
     * Reads an int and checks its range.
     *
     * @param in   the body
     * @param name the field, for the message
     * @param min  smallest valid value
     * @param max  largest valid value
     * @param what the state's name, for the message
     * @return the value
     * @throws IOException when it is out of range
     */
    public static int readInt(DataInputStream in, String name, int min, int max, String what) throws IOException {
        int v = in.readInt();
        if (v < min || v > max) {
            throw new IOException("corrupt " + what + " state: " + name + " " + v + " is outside [" + min + ", " + max
                    + "]");
        }
        return v;
    }

    /**
     * Writes a length and the values.
     *
     * @param out    the body
     * @param values the values
     * @throws IOException when writing fails
     */
    public static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer bb = ByteBuffer.allocate(values.length * Double.BYTES);
        bb.asDoubleBuffer().put(values);
        out.write(bb.array());
    }

    /**
     * Reads what {@link #writeDoubles} wrote, requiring an exact length.
     *
     * @param in     the body
     * @param length the expected number of values
     * @param name   the field, for the message
     * @param what   the state's name, for the message
     * @return the values
     * @throws IOException when the length differs or the stream ends
     */
    public static double[] readDoubles(DataInputStream in, int length, String name, String what) throws IOException {
        int n = in.readInt();
        if (n != length) {
            throw new IOException("corrupt " + what + " state: " + name + " has " + n + " values, expected " + length);
        }
        byte[] bytes = new byte[n * Double.BYTES];
        in.readFully(bytes);
        double[] v = new double[n];
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(v);
        return v;
    }

    /**
     * Writes a length and the values.
     *
     * @param out    the body
     * @param values the values
     * @throws IOException when writing fails
     */
    public static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer bb = ByteBuffer.allocate(values.length * Float.BYTES);
        bb.asFloatBuffer().put(values);
        out.write(bb.array());
    }

    /**
     * Reads what {@link #writeFloats} wrote, requiring an exact length.
     *
     * @param in     the body
     * @param length the expected number of values
     * @param name   the field, for the message
     * @param what   the state's name, for the message
     * @return the values
     * @throws IOException when the length differs or the stream ends
     */
    public static float[] readFloats(DataInputStream in, int length, String name, String what) throws IOException {
        int n = in.readInt();
        if (n != length) {
            throw new IOException("corrupt " + what + " state: " + name + " has " + n + " values, expected " + length);
        }
        byte[] bytes = new byte[n * Float.BYTES];
        in.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
        return v;
    }

    /**
     * Writes a matrix as its row count, column count and rows.
     *
     * @param out  the body
     * @param rows the rows, all of one length
     * @throws IOException when writing fails
     */
    public static void writeMatrix(DataOutputStream out, float[][] rows) throws IOException {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        out.writeInt(rows.length);
        out.writeInt(cols);
        ByteBuffer bb = ByteBuffer.allocate(cols * Float.BYTES);
        for (float[] r : rows) {
            bb.clear();
            bb.asFloatBuffer().put(r);
            out.write(bb.array());
        }
    }

    /**
     * Reads what {@link #writeMatrix} wrote.
     *
     * @param in      the body
     * @param maxRows the largest plausible row count
     * @param cols    the expected column count
     * @param name    the field, for the message
     * @param what    the state's name, for the message
     * @return the rows
     * @throws IOException when a dimension is wrong or the stream ends
     */
    public static float[][] readMatrix(DataInputStream in, int maxRows, int cols, String name, String what)
            throws IOException {
        int n = readInt(in, name + " rows", 0, maxRows, what);
        int c = in.readInt();
        if (c != cols) {
            throw new IOException("corrupt " + what + " state: " + name + " has " + c + " columns, expected " + cols);
        }
        if ((long) n * cols > MAX_MATRIX_VALUES) {
            throw new IOException("corrupt " + what + " state: " + name + " declares " + n + "x" + cols + " values");
        }
        float[][] rows = new float[n][cols];
        byte[] bytes = new byte[cols * Float.BYTES];
        for (int i = 0; i < n; i++) {
            in.readFully(bytes);
            ByteBuffer.wrap(bytes).asFloatBuffer().get(rows[i]);
        }
        return rows;
    }
}
