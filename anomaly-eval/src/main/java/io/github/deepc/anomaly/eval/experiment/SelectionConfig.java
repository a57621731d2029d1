package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the best combination of a grouped-cv experiment is chosen without fooling ourselves: combinations are ranked
 * on the first folds only and the winner is re-measured on the last {@code confirmFolds} folds, which took no part
 * in the choice (a fixed confirmation part). The summary states both numbers.
 *
 * @param confirmFolds folds held back for confirmation, from 1 to folds - 1 (JSON {@code confirmFolds} or
 *                     {@code confirm-folds})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelectionConfig(@JsonAlias("confirm-folds") Integer confirmFolds) {
    void validate(ProtocolConfig protocol) {
        if (!protocol.isCrossValidation()) {
            throw new IllegalArgumentException("'selection' needs the " + ProtocolConfig.GROUPED_CV
                    + " protocol (it chooses on some folds and confirms on the others)");
        }
        int folds = protocol.foldsOrDefault();
        if (confirmFolds == null || confirmFolds < 1 || confirmFolds > folds - 1) {
            throw new IllegalArgumentException("'selection.confirmFolds' must be between 1 and " + (folds - 1)
                    + " (folds - 1), got " + confirmFolds);
        }
    }
}
