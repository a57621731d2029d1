package io.github.deepc.anomaly.benchmarks;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Counts a trained deep model's trainable values from its saved state, the one public view of its weights: the GAN
 * state (magic {@code GAN\x1a}, version 1: header, then named float32 tensors; the spectral-norm vectors
 * {@code *_sn_u}/{@code *_sn_v} are state, not parameters) and the Deep SVDD state (magic {@code SVDD}: rep-dim, input
 * size, then named tensors with long dimensions; version 2, the engine-neutral parameter store: int dimensions; the
 * centre after them is a constant). Another format fails with a message saying so, rather than a wrong count.
 */
final class LibraryParameters {
    private static final int GAN_MAGIC = 0x47414E1A;
    private static final int SVDD_MAGIC = 0x53564444;

    private LibraryParameters() {
    }

    /**
     * @param model a fitted model
     * @return its number of trainable scalar values
     * @throws IOException when the state cannot be written or has a format this class does not know
     */
    static long count(AnomalyModel model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.writeState(bytes);
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        int magic = d.readInt();
        int version = d.readInt();
        if (magic == GAN_MAGIC && version == 1) {
            d.readUTF();                                // model id
            for (int i = 0; i < 4; i++) {
                d.readInt();                            // height, width, channels, latent
            }
            d.readBoolean();                            // attention
            d.readBoolean();                            // spectral norm
            d.readUTF();                                // range
        } else if (magic == SVDD_MAGIC && (version == 1 || version == 2)) {
            for (int i = 0; i < 3; i++) {
                d.readInt();                            // rep-dim, height, width
            }
        } else {
            throw new IOException("cannot count the parameters of " + model + ": unknown state format (magic 0x"
                    + Integer.toHexString(magic) + ", version " + version + "); teach LibraryParameters the new format");
        }
        int tensors = d.readInt();
        long count = 0;
        for (int t = 0; t < tensors; t++) {
            String name = d.readUTF();
            int rank = d.readInt();
            for (int i = 0; i < rank; i++) {
                if (magic == SVDD_MAGIC && version == 2) {
                    d.readInt();                        // the parameter store's shapes are ints
                } else {
                    d.readLong();
                }
            }
            int n = d.readInt();
            d.skipNBytes((long) n * Float.BYTES);
            if (!name.endsWith("_sn_u") && !name.endsWith("_sn_v")) {
                count += n;
            }
        }
        return count;
    }
}
