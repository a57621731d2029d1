package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.models.conv.OptimizerState;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The part of a per-epoch checkpoint that every network trained on the direct engine shares: progress so far, the
 * parameter store, and Adam's step count and moment arrays. A trainer writes its own fields (validation state, a
 * centre) after it.
 */
public final class EngineCheckpoint {
    private EngineCheckpoint() {
    }

    /**
     * The progress a checkpoint restores, applied by the trainer once its own fields have been read.
     *
     * @param epochs  finished epochs
     * @param loss    last epoch's loss
     * @param seconds training time so far
     * @param images  images trained on so far
     */
    public record Progress(int epochs, double loss, double seconds, long images) {
        /** @param listener the listener to resume */
        public void applyTo(EpochLossListener listener) {
            listener.resumeAfter(epochs, loss, seconds, images);
        }
    }

    /**
     * @param out      where to write
     * @param progress the training's progress
     * @param store    the parameters
     * @param adam     the optimiser's step count and moment arrays
     * @throws IOException when writing fails
     */
    public static void write(DataOutputStream out, EpochLossListener progress, ParameterStore store,
                             OptimizerState adam) throws IOException {
        List<float[]> moments = adam.moments();
        out.writeInt(progress.epochsDone());
        out.writeDouble(progress.lastLoss());
        out.writeDouble(progress.totalSeconds());
        out.writeLong(progress.totalImages());
        store.write(out);
        out.writeInt(adam.step());
        out.writeInt(moments.size());
        for (float[] m : moments) {
            StateFormat.writeFloats(out, m);
        }
    }

    /**
     * A checkpoint state that holds only this shared part, for a trainer with nothing of its own to save.
     *
     * @param progress the training's progress, resumed when the state is read
     * @param store    the parameters
     * @param adam     the optimiser
     * @return the state
     */
    public static EpochCheckpoints.State state(EpochLossListener progress, ParameterStore store, OptimizerState adam) {
        return new EpochCheckpoints.State() {
            @Override
            public void write(DataOutputStream out) throws IOException {
                EngineCheckpoint.write(out, progress, store, adam);
            }

            @Override
            public void read(DataInputStream in) throws IOException {
                EngineCheckpoint.read(in, store, adam).applyTo(progress);
            }
        };
    }

    /**
     * Reads what {@link #write} wrote into the live parameter and moment arrays and resumes the optimiser's step count.
     *
     * @param in    where to read
     * @param store the parameters, filled in place
     * @param adam  the optimiser, its moments filled in place
     * @return the progress, for the trainer to apply once its own fields have been read
     * @throws IOException when a count or length does not match
     */
    public static Progress read(DataInputStream in, ParameterStore store, OptimizerState adam) throws IOException {
        List<float[]> moments = adam.moments();
        Progress progress = new Progress(in.readInt(), in.readDouble(), in.readDouble(), in.readLong());
        store.read(in, "checkpoint");
        int step = in.readInt();
        int count = in.readInt();
        if (count != moments.size() || step < 0) {
            throw new IOException("corrupt checkpoint: " + count + " optimiser arrays and step " + step
                    + ", expected " + moments.size() + " arrays");
        }
        for (float[] m : moments) {
            float[] values = StateFormat.readFloats(in, m.length, "optimiser moments", "checkpoint");
            System.arraycopy(values, 0, m, 0, m.length);
        }
        adam.resume(step);
        return progress;
    }
}
