package io.github.deepc.anomaly.core.detector;

import java.util.List;

/**
 * Results of a batch job together with the items that failed, so that nothing is silently dropped.
 *
 * @param results  results of the items that succeeded, in input order
 * @param failures the items that failed and why
 * @param <T>      result type
 */
public record BatchResult<T>(List<T> results, List<ItemFailure> failures) {
    /** Copies both lists. */
    public BatchResult {
        results = List.copyOf(results);
        failures = List.copyOf(failures);
    }
}
