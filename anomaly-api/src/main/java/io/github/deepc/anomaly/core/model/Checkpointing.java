package io.github.deepc.anomaly.core.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Where a model that trains in epochs saves its progress after each epoch and finds it again when training is
 * resumed after an interruption. The model decides what a checkpoint holds (everything that makes the resumed run
 * equal to an uninterrupted one: parameters, optimiser state, where its random streams stood) and names the run with
 * a key (its options, seed and a digest of its training images); this says where checkpoints live, whether to resume
 * and refuses a checkpoint saved under another key. Models without epochs ignore it. {@link #NONE} keeps nothing.
 */
public interface Checkpointing {
    /** Saves nothing and never resumes. */
    Checkpointing NONE = new Checkpointing() {
        @Override
        public void save(String key, int epoch, Body body) {
        }

        @Override
        public int restore(String key, Reader reader) {
            return 0;
        }

        @Override
        public Checkpointing part(String name) {
            return this;
        }

        @Override
        public String toString() {
            return "no checkpoints";
        }
    };

    /** Writes a checkpoint's content. */
    @FunctionalInterface
    interface Body {
        /**
         * @param out where the content goes
         * @throws IOException when writing fails
         */
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a checkpoint's content. */
    @FunctionalInterface
    interface Reader {
        /**
         * @param in the content, exactly as {@link Body} wrote it (already checked to be complete and intact)
         * @throws IOException when it does not fit the model
         */
        void read(DataInputStream in) throws IOException;
    }

    /**
     * Saves the state after an epoch, replacing the previous checkpoint all or nothing.
     *
     * @param key   names the training run: model, options, seed and training data
     * @param epoch the epochs finished
     * @param body  writes the model's state
     * @throws IOException when the checkpoint cannot be written (the previous one is then unchanged)
     */
    void save(String key, int epoch, Body body) throws IOException;

    /**
     * Reads the latest checkpoint when resuming and there is one.
     *
     * @param key    the run's key, as for {@link #save}
     * @param reader reads the model's state
     * @return the epochs the checkpoint had finished, or 0 when training starts from the beginning
     * @throws IOException when the checkpoint is truncated or corrupt, or was saved by a run with another key (other
     *                     arguments or data), saying so
     */
    int restore(String key, Reader reader) throws IOException;

    /**
     * @return whether a checkpoint is to be resumed from (an existing one is then read by {@link #restore}); a
     *         training that writes no checkpoints refuses to run when this is {@code true}, rather than start over
     *         unasked. {@code false} by default.
     */
    default boolean resuming() {
        return false;
    }

    /**
     * @param name a short name, e.g. {@code member-1}
     * @return checkpoints for a separately trained part (an ensemble's member), kept apart from these
     */
    Checkpointing part(String name);
}
