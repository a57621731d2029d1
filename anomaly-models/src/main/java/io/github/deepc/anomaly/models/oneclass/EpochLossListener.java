package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
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
 * Turns SameDiff training iterations into {@link EpochReport}s: the epoch loss is the mean of the per-batch losses
 * (computed before each update), weighted by the size of the batch's first feature array; the time is wall time
 * from epoch start to epoch end. The graph must compute its loss during training
 * ({@link SameDiffSupport#trainingConfig}).
 */
final class EpochLossListener extends BaseListener {
    private final ProgressListener target;
    private final int epochs;
    private int epoch;
    private long epochStart;
    private double lossSum;
    private long seen;
    private double lastLoss = Double.NaN;
    private double totalSeconds;
    private long totalImages;

    /**
     * @param target where reports go
     * @param epochs epochs planned
     */
    EpochLossListener(ProgressListener target, int epochs) {
        this.target = target;
        this.epochs = epochs;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void epochStart(SameDiff sd, At at) {
        epochStart = System.nanoTime();
        lossSum = 0;
        seen = 0;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        long n = dataSet.getFeatures(0).size(0);
        lossSum += loss.totalLoss() * n;
        seen += n;
    }

    @Override
    public ListenerResponse epochEnd(SameDiff sd, At at, LossCurve lossCurve, long epochTimeMillis) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        epoch++;
        lastLoss = seen == 0 ? Double.NaN : lossSum / seen;
        totalSeconds += seconds;
        totalImages += seen;
        double ips = seconds > 0 ? seen / seconds : 0.0;
        target.onEpoch(new EpochReport(epoch, epochs, lastLoss, ips, seconds, Map.of()));
        return ListenerResponse.CONTINUE;
    }

    /** @return epochs finished */
    int epochsDone() {
        return epoch;
    }

    /** @return mean loss of the last finished epoch */
    double lastLoss() {
        return lastLoss;
    }

    /** @return seconds spent in finished epochs */
    double totalSeconds() {
        return totalSeconds;
    }

    /** @return images per second over the finished epochs (0 before the first) */
    double imagesPerSecond() {
        return totalSeconds > 0 ? totalImages / totalSeconds : 0.0;
    }
}
