package io.github.deepc.anomaly.core.model;

/**
 * How training went.
 *
 * @param images          number of training images
 * @param epochs          epochs run
 * @param finalLoss       mean loss of the last epoch
 * @param imagesPerSecond images per second inside the training loop (loading and preprocessing excluded)
 * @param seconds         time spent in the training loop
 */
public record TrainingSummary(int images, int epochs, double finalLoss, double imagesPerSecond, double seconds) {
}
