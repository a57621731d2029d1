package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The fitted state shared by the deep one-class models: a trained {@link FeatureNetwork} and a centre in its feature
 * space, with inference, the saved-state body (network, then centre) and release of native memory. Not thread-safe:
 * the owning model synchronizes.
 */
final class CentredNetwork {
    /** Writes a model's header fields in front of the network. */
    interface HeaderWriter {
        /**
         * @param d the state body
         * @throws IOException when writing fails
         */
        void write(DataOutputStream d) throws IOException;
    }

    /** Reads a model's header fields and creates the (unloaded) network they describe. */
    interface NetworkReader {
        /**
         * @param d the state body
         * @return a network whose parameters {@link FeatureNetwork#readParameters} is about to read
         * @throws IOException when the header is invalid
         */
        FeatureNetwork read(DataInputStream d) throws IOException;
    }

    /** Work on a network and its centre after both are read, before they replace the current state. */
    interface LoadHook {
        /**
         * @param network the loaded network
         * @param centre  the loaded centre
         */
        void loaded(FeatureNetwork network, float[] centre);
    }

    /**
     * What training a fresh network produced.
     *
     * @param progress the training's progress
     * @param centre   the centre fixed for the network
     */
    record Trained(EpochLossListener progress, float[] centre) {
    }

    /** Trains a fresh network. */
    interface Training {
        /**
         * @param net the network to train
         * @return its progress and centre
         */
        Trained run(FeatureNetwork net);
    }

    private FeatureNetwork network;
    private float[] centre;

    /**
     * Replaces the state, releasing the previous network.
     *
     * @param net    the network, owned from now on
     * @param centre the centre, owned from now on
     */
    void set(FeatureNetwork net, float[] centre) {
        release();
        this.network = net;
        this.centre = centre;
    }

    /**
     * Trains a freshly built network and keeps it with its centre; a failed training closes it instead, so that its
     * native memory is not lost.
     *
     * @param net      the network, owned from now on
     * @param training what trains it
     * @return the training's progress
     */
    EpochLossListener train(FeatureNetwork net, Training training) {
        Trained t;
        try {
            t = training.run(net);
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
        set(net, t.centre());
        return t.progress();
    }

    /** @return the network, or {@code null} when not fitted */
    FeatureNetwork network() {
        return network;
    }

    /**
     * @return the network
     * @throws IllegalStateException when not fitted
     */
    FeatureNetwork require() {
        if (network == null) {
            throw new IllegalStateException("model not fitted");
        }
        return network;
    }

    /**
     * @param images images of the training size
     * @return the latent features and squared distances to the centre
     * @throws IllegalStateException when not fitted
     */
    List<ModelOutput> infer(List<GrayImage> images) {
        FeatureNetwork net = require();
        return FeatureNetwork.outputs(images, net.features(images), centre);
    }

    /**
     * @return a copy of the centre
     * @throws IllegalStateException when not fitted
     */
    float[] centre() {
        require();
        return centre.clone();
    }

    /**
     * Writes {@link StateFormat} framing around the header, the network and the centre.
     *
     * @param out     the stream
     * @param magic   the model's magic number
     * @param header  writes the model's header fields
     * @throws IOException           when writing fails
     * @throws IllegalStateException when not fitted
     */
    void write(OutputStream out, int magic, HeaderWriter header) throws IOException {
        FeatureNetwork net = require();
        StateFormat.write(out, magic, FeatureNetwork.STORE_FORMAT_VERSION, d -> {
            header.write(d);
            net.write(d);
            StateFormat.writeFloats(d, centre);
        });
    }

    /**
     * Reads what {@link #write} wrote (or format {@value FeatureNetwork#GRAPH_FORMAT_VERSION}, which held the graph's
     * variables) and, when all of it is valid, replaces the state; otherwise the state is kept.
     *
     * @param in      the stream
     * @param magic   the model's magic number
     * @param what    the state's name, for messages
     * @param repDim  the centre's length
     * @param header  reads the model's header fields and creates the network
     * @param hook    work after loading, or {@code null}
     * @throws IOException when the state is truncated, corrupt or for another configuration
     */
    void read(InputStream in, int magic, String what, int repDim, NetworkReader header, LoadHook hook)
            throws IOException {
        FeatureNetwork[] loaded = new FeatureNetwork[1];
        try {
            float[] c = StateFormat.read(in, magic, FeatureNetwork.GRAPH_FORMAT_VERSION,
                    FeatureNetwork.STORE_FORMAT_VERSION, what, (d, version) -> {
                loaded[0] = header.read(d);
                loaded[0].readParameters(d, what, version);
                return StateFormat.readFloats(d, repDim, "centre", what);
            });
            if (hook != null) {
                hook.loaded(loaded[0], c);
            }
            set(loaded[0], c);
            loaded[0] = null;
        } finally {
            if (loaded[0] != null) {
                loaded[0].close();
            }
        }
    }

    /** @return {@code ", WxH"} for a fitted network, {@code ", not fitted"} otherwise */
    String describeSize() {
        return network == null ? ", not fitted" : ", " + network.width() + "x" + network.height();
    }

    /** Releases the network's native memory; the state is then unfitted. */
    void release() {
        if (network != null) {
            network.close();
            network = null;
            centre = null;
        }
    }
}
