package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.Checkpointing;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal support for the library's deep models, not API (public only so that the model packages can share it; it
 * may change at any time). The per-epoch checkpoint hook of a training loop: the loop calls {@link #resume()} once
 * before its first epoch (it returns the epochs a checkpoint had finished, after the model's {@link State} has read
 * them back) and {@link #save(int)} after every epoch. A model adopts it by writing, in its {@link State}, everything
 * its next epoch depends on (parameters, optimiser state, early-stopping bookkeeping, progress counts) and by putting
 * its random streams back where they stood (e.g. by replaying the finished epochs' draws, which are cheap, without
 * training). The run's {@link #key} names the model, its options, the seed and a SHA-256 digest of the training
 * images, so that a checkpoint of other data or options is refused.
 */
public final class EpochCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(EpochCheckpoints.class);

    /** What a model writes into a checkpoint and reads back from it. */
    public interface State {
        /**
         * @param out where the state goes
         * @throws IOException when writing fails
         */
        void write(DataOutputStream out) throws IOException;

        /**
         * @param in the state {@link #write} wrote (checked complete and intact)
         * @throws IOException when it does not fit the model
         */
        void read(DataInputStream in) throws IOException;
    }

    private final Checkpointing target;
    private final String key;
    private final State state;

    /**
     * @param target where checkpoints go ({@link Checkpointing#NONE} for nowhere)
     * @param key    the run's key ({@link #key})
     * @param state  the model's state
     */
    public EpochCheckpoints(Checkpointing target, String key, State state) {
        this.target = Objects.requireNonNull(target, "target");
        this.key = Objects.requireNonNull(key, "key");
        this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * @param model   the model and its architecture, e.g. {@code CAE reference}
     * @param options its training options, as they affect the result
     * @param seed    the training seed
     * @param images  the images it trains on (and any it validates on), in order
     * @return a key naming the run: what is given, the image count and size, and the images' SHA-256 (pixels and
     *         masks), abbreviated
     */
    public static String key(String model, String options, long seed, List<List<GrayImage>> images) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        StringBuilder counts = new StringBuilder();
        String size = "";
        for (List<GrayImage> part : images) {
            counts.append(counts.length() == 0 ? "" : "+").append(part.size());
            for (GrayImage g : part) {
                size = g.width() + "x" + g.height();
                ByteBuffer b = ByteBuffer.allocate(8 + 4 * g.pixels().length + g.mask().length);
                b.putInt(g.width()).putInt(g.height());
                for (float v : g.pixels()) {
                    b.putFloat(v);
                }
                for (boolean m : g.mask()) {
                    b.put((byte) (m ? 1 : 0));
                }
                sha.update(b.array());
            }
        }
        return model + " (" + options + "), seed " + seed + ", " + counts + " images " + size + ", sha256 "
                + HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /**
     * For a training that writes no checkpoints (SameDiff's): refuses to resume one, and otherwise warns that it cannot
     * be resumed, so that a resume never silently starts over.
     *
     * @param target  the training context's checkpoints
     * @param what    what trains without checkpoints, naming the model and the option, e.g.
     *                {@code CAE with engine=samediff}
     * @param instead how to train resumably instead, e.g. {@code train with engine=direct (the default)}
     * @throws IllegalArgumentException when {@code target} is {@linkplain Checkpointing#resuming() resuming}
     */
    public static void notResumable(Checkpointing target, String what, String instead) {
        if (target.resuming()) {
            throw new IllegalArgumentException(what + " cannot resume a training (it writes no checkpoints); " + instead
                    + " to train resumably, or train without --resume to start over");
        }
        if (target != Checkpointing.NONE) {
            LOG.warn("{} writes no checkpoints, so this training cannot be resumed; {} to train resumably", what,
                    instead);
        }
    }

    /** @return whether checkpoints are kept at all */
    public boolean enabled() {
        return target != Checkpointing.NONE;
    }

    /**
     * Reads the latest checkpoint into the model's state when resuming and there is one.
     *
     * @return the epochs it had finished; 0 when training starts from the beginning
     * @throws UncheckedIOException when the checkpoint is corrupt or from another run (its message says which)
     */
    public int resume() {
        try {
            return target.restore(key, state::read);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Saves the model's state after an epoch.
     *
     * @param epoch the epochs finished
     * @throws UncheckedIOException when the checkpoint cannot be written
     */
    public void save(int epoch) {
        try {
            target.save(key, epoch, state::write);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
