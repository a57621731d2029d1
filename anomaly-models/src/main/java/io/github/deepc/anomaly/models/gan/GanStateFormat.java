package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The saved state of a GAN model, big-endian ({@link DataOutputStream}): magic, format version, model id (UTF), the
 * architecture (height, width, channels, latent size as ints; attention and spectral norm as booleans; pixel range as
 * UTF), the number of arrays, then per array its name (UTF), rank, shape (longs), value count and float32 values in
 * row-major order (discriminator weights, generator weights, spectral-norm vectors); finally a CRC-32 of everything
 * before it. Adam state is not saved: a loaded model infers, it does not resume training.
 */
final class GanStateFormat {
    /** "GAN" + 0x1A, the first four bytes of a saved state. */
    static final int MAGIC = 0x47414E1A;
    /** Version of the format. */
    static final int VERSION = 1;

    private GanStateFormat() {
    }

    /**
     * @param out     where to write; not closed
     * @param modelId the model's id
     * @param a       its architecture
     * @param arrays  every array of the state, by name, in a fixed order
     * @throws IOException when writing fails
     */
    static void write(OutputStream out, String modelId, GanArchitecture a, Map<String, INDArray> arrays) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream d = new DataOutputStream(new CheckedOutputStream(out, crc));
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
        d.writeUTF(modelId);
        d.writeInt(a.height());
        d.writeInt(a.width());
        d.writeInt(a.channels());
        d.writeInt(a.latent());
        d.writeBoolean(a.attention());
        d.writeBoolean(a.spectralNorm());
        d.writeUTF(a.range().word());
        d.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray arr = e.getValue();
            long[] shape = arr.shape();
            float[] values = GraphSupport.toFloats(arr);
            d.writeUTF(e.getKey());
            d.writeInt(shape.length);
            for (long s : shape) {
                d.writeLong(s);
            }
            d.writeInt(values.length);
            ByteBuffer bb = ByteBuffer.allocate(values.length * Float.BYTES);
            bb.asFloatBuffer().put(values);
            d.write(bb.array());
        }
        d.flush();
        // the checksum itself is written outside the checked stream
        new DataOutputStream(out).writeInt((int) crc.getValue());
        out.flush();
    }

    /** Reads a state in two phases: the header (to build the networks), then the arrays into them. */
    static final class Reader {
        private final InputStream in;
        private final CRC32 crc = new CRC32();
        private final DataInputStream d;
        private final String modelId;

        /**
         * Reads and checks magic, version and model id.
         *
         * @param in      where to read; not closed, not read past the state
         * @param modelId the id the state must have
         * @throws IOException for another format, version or model
         */
        Reader(InputStream in, String modelId) throws IOException {
            this.in = in;
            this.modelId = modelId;
            this.d = new DataInputStream(new CheckedInputStream(in, crc));
            int magic = d.readInt();
            if (magic != MAGIC) {
                throw new IOException("not a GAN model state (bad magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = d.readInt();
            if (version != VERSION) {
                throw new IOException("unsupported GAN state format version " + version + " (supported: " + VERSION + ")");
            }
            String id = d.readUTF();
            if (!id.equals(modelId)) {
                throw new IOException("state is for model '" + id + "' but this model is '" + modelId + "'");
            }
        }

        /**
         * @return the saved architecture
         * @throws IOException when it is invalid
         */
        GanArchitecture architecture() throws IOException {
            int h = d.readInt();
            int w = d.readInt();
            int channels = d.readInt();
            int latent = d.readInt();
            boolean attention = d.readBoolean();
            boolean spectral = d.readBoolean();
            String range = d.readUTF();
            if (channels < 1 || channels > GanConfig.MAX_WIDTH / 8 || latent < 1 || latent > GanConfig.MAX_WIDTH) {
                throw new IOException("corrupt " + modelId + " state: channels " + channels + ", latent " + latent);
            }
            try {
                return new GanArchitecture(h, w, channels, latent, attention, spectral, PixelRange.of(range));
            } catch (IllegalArgumentException e) {
                throw new IOException("corrupt " + modelId + " state: " + e.getMessage(), e);
            }
        }

        /**
         * Reads the arrays into their live counterparts, checking names, order and shapes.
         *
         * @param targets the arrays to fill, by name, in saved order
         * @throws IOException when the arrays do not match
         */
        void readArrays(Map<String, INDArray> targets) throws IOException {
            int count = d.readInt();
            if (count != targets.size()) {
                throw new IOException("corrupt " + modelId + " state: " + count + " arrays, expected " + targets.size());
            }
            for (Map.Entry<String, INDArray> e : targets.entrySet()) {
                String name = d.readUTF();
                if (!name.equals(e.getKey())) {
                    throw new IOException("corrupt " + modelId + " state: array '" + name + "' where '" + e.getKey()
                            + "' was expected");
                }
                INDArray target = e.getValue();
                long[] want = target.shape();
                int rank = d.readInt();
                if (rank != want.length) {
                    throw new IOException("corrupt " + modelId + " state: array " + name + " has rank " + rank
                            + ", expected " + want.length);
                }
                long[] shape = new long[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = d.readLong();
                }
                if (!Arrays.equals(shape, want)) {
                    throw new IOException("corrupt " + modelId + " state: array " + name + " has shape "
                            + Arrays.toString(shape) + ", expected " + Arrays.toString(want));
                }
                int n = d.readInt();
                if (n != target.length()) {
                    throw new IOException("corrupt " + modelId + " state: array " + name + " has " + n
                            + " values, expected " + target.length());
                }
                byte[] bytes = new byte[n * Float.BYTES];
                d.readFully(bytes);
                float[] values = new float[n];
                ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
                try (INDArray src = Nd4j.create(values, shape, DataType.FLOAT)) {
                    target.assign(src);
                }
            }
        }

        /**
         * Checks the trailing checksum.
         *
         * @throws IOException on a mismatch
         */
        void finish() throws IOException {
            long computed = crc.getValue();
            int stored = new DataInputStream(in).readInt();
            if (stored != (int) computed) {
                throw new IOException("corrupt " + modelId + " state: checksum mismatch");
            }
        }
    }
}
