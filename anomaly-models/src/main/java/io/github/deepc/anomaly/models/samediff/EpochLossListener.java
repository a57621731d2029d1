package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerResponse;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.LossCurve;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time). A SameDiff training listener that turns iterations into {@link EpochReport}s: the epoch
 * loss is the mean of the per-batch losses (computed before each update), weighted by the size of the batch's first
 * feature array; the time is wall time from epoch start to epoch end. The graph must compute its loss during training
 * ({@link GraphSupport#trainingConfig}: SameDiff 1.0.0-M2.1 otherwise reports 0). A training loop of its own (the
 * CAE's direct engine) calls {@link #beginEpoch()}, {@link #batchDone} and {@link #endEpoch()} itself.
 *
 * <p>An optional {@link EpochEnd} hook runs after each epoch (its time is not counted as training time): it may add
 * figures to the report and stop training, which this listener passes on to {@code SameDiff.fit} as
 * {@link ListenerResponse#STOP} (honoured by 1.0.0-M2.1 before the last epoch), so early stopping needs no per-epoch
 * {@code fit} calls.
 */
public final class EpochLossListener extends BaseListener {
    /** Work done after each epoch, on the training thread. */
    public interface EpochEnd {
        /**
         * @param epoch 1-based number of the finished epoch
         * @param extra where to put further figures for the epoch's report
         * @return whether training should stop
         */
        boolean afterEpoch(int epoch, Map<String, Double> extra);
    }

    private final ProgressListener target;
    private final int epochs;
    private final EpochEnd hook;
    private final double instantRate;
    private int epoch;
    private long epochStart;
    private double lossSum;
    private long seen;
    private double lastLoss = Double.NaN;
    private double totalSeconds;
    private long totalImages;

    /**
     * @param target      where reports go
     * @param epochs      epochs planned
     * @param hook        work after each epoch, or {@code null}
     * @param instantRate images per second reported for an epoch that took no measurable time
     */
    public EpochLossListener(ProgressListener target, int epochs, EpochEnd hook, double instantRate) {
        this.target = target;
        this.epochs = epochs;
        this.hook = hook;
        this.instantRate = instantRate;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void epochStart(SameDiff sd, At at) {
        beginEpoch();
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        batchDone(loss.totalLoss(), dataSet.getFeatures(0).size(0));
    }

    @Override
    public ListenerResponse epochEnd(SameDiff sd, At at, LossCurve lossCurve, long epochTimeMillis) {
        boolean stop = endEpoch();
        // ND4J frees an array's native memory only once the garbage collector has found its Java object unreachable;
        // the Java heap hardly grows during SameDiff's training, so without a collection the epoch's arrays pile up
        // natively (measured: +130 to +160 MiB per epoch of 256 images, +2.6 GiB over 20 epochs). One collection per
        // epoch costs milliseconds against seconds of SameDiff's training. The direct engine's loops allocate no ND4J
        // arrays per batch and skip it (a full collection took 15 ms against 50 ms for an epoch of Deep SVDD).
        System.gc();
        return stop ? ListenerResponse.STOP : ListenerResponse.CONTINUE;
    }

    /** Starts an epoch's clock and sums (for training loops that are not {@code SameDiff.fit}). */
    public void beginEpoch() {
        epochStart = System.nanoTime();
        lossSum = 0;
        seen = 0;
    }

    /**
     * Records one mini-batch.
     *
     * @param loss   the batch's mean loss
     * @param images the batch's size
     */
    public void batchDone(double loss, long images) {
        lossSum += loss * images;
        seen += images;
    }

    /**
     * Ends an epoch: runs the hook and reports the epoch.
     *
     * @return whether training should stop
     */
    public boolean endEpoch() {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        epoch++;
        lastLoss = seen == 0 ? Double.NaN : lossSum / seen;
        totalSeconds += seconds;
        totalImages += seen;
        double ips = seconds > 0 ? seen / seconds : instantRate;
        Map<String, Double> extra = new LinkedHashMap<>();
        boolean stop = hook != null && hook.afterEpoch(epoch, extra);
        target.onEpoch(new EpochReport(epoch, epochs, lastLoss, ips, seconds, extra));
        return stop;
    }

    /**
     * Continues the counts of a training resumed from a checkpoint, as if this listener had seen its epochs.
     *
     * @param epochs  epochs finished
     * @param loss    the last finished epoch's mean loss
     * @param seconds seconds spent in them
     * @param images  images processed in them
     */
    public void resumeAfter(int epochs, double loss, double seconds, long images) {
        this.epoch = epochs;
        this.lastLoss = loss;
        this.totalSeconds = seconds;
        this.totalImages = images;
    }

    /** @return epochs finished */
    public int epochsDone() {
        return epoch;
    }

    /** @return mean loss of the last finished epoch */
    public double lastLoss() {
        return lastLoss;
    }

    /** @return seconds spent in finished epochs */
    public double totalSeconds() {
        return totalSeconds;
    }

    /** @return images processed in finished epochs */
    public long totalImages() {
        return totalImages;
    }

    /** @return images per second over the finished epochs (0 before the first) */
    public double imagesPerSecond() {
        return totalSeconds > 0 ? totalImages / totalSeconds : 0.0;
    }
}
