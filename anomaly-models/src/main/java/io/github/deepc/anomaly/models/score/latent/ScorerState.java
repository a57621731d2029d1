package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A latent-space scorer's fitted state and its saved form: the state is immutable and published through a volatile
 * field, so scoring is thread-safe once fitted; saving and loading use the {@link StateFormat} framing with the
 * scorer's magic number and version.
 *
 * @param <F> the scorer's fitted state
 */
final class ScorerState<F> {
    /**
     * Writes a fitted state's body.
     *
     * @param <T> the fitted state
     */
    interface Writer<T> {
        /**
         * @param d      the state body
         * @param fitted the state to write
         * @throws IOException when writing fails
         */
        void write(DataOutputStream d, T fitted) throws IOException;
    }

    private final String what;
    private final int magic;
    private final int version;
    private volatile F fitted;

    /**
     * @param what    the state's name, for messages ({@code "knn scorer"})
     * @param magic   the scorer's magic number
     * @param version the scorer's format version
     */
    ScorerState(String what, int magic, int version) {
        this.what = what;
        this.magic = magic;
        this.version = version;
    }

    /** @param f the new fitted state */
    void set(F f) {
        fitted = f;
    }

    /** @return the fitted state, or {@code null} when not fitted */
    F get() {
        return fitted;
    }

    /**
     * @return the fitted state
     * @throws IllegalStateException when not fitted
     */
    F require() {
        F f = fitted;
        if (f == null) {
            throw new IllegalStateException(what + " is not fitted: fit it on the training normals' outputs first");
        }
        return f;
    }

    /**
     * @param out  the stream
     * @param body writes the fitted state
     * @throws IOException           when writing fails
     * @throws IllegalStateException when not fitted
     */
    void write(OutputStream out, Writer<F> body) throws IOException {
        F f = require();
        StateFormat.write(out, magic, version, d -> body.write(d, f));
    }

    /**
     * Replaces the fitted state by a saved one; an invalid state leaves it as it was.
     *
     * @param in   the stream
     * @param body reads and checks the fitted state
     * @throws IOException when the state is truncated, corrupt or for another configuration
     */
    void read(InputStream in, StateFormat.Reader<F> body) throws IOException {
        fitted = StateFormat.read(in, magic, version, what, body);
    }

    /**
     * Replaces the fitted state by a saved one of any format version from {@code oldest} to the scorer's own; an
     * invalid state leaves it as it was.
     *
     * @param in     the stream
     * @param oldest the oldest format version still read
     * @param body   reads and checks the fitted state of the declared version
     * @throws IOException when the state is truncated, corrupt or for another configuration
     */
    void read(InputStream in, int oldest, StateFormat.VersionedReader<F> body) throws IOException {
        fitted = StateFormat.read(in, magic, oldest, version, what, body);
    }
}
