package io.github.deepc.anomaly.core.detector;

/**
 * One item of a batch job that failed; the job went on without it.
 *
 * @param item   the item (usually a file path)
 * @param reason why it failed
 */
public record ItemFailure(String item, String reason) {
}
