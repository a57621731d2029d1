"""Writes golden/ranking-curves.json: scikit-learn's roc_curve and precision_recall_curve arrays (and the two
metrics) for every case of the shared golden file ../shared/golden/ranking-metrics.json.

Run with Debian's scikit-learn 1.2.1 (python3-sklearn 1.2.1+dfsg-1, NumPy 1.24.2) from the repository root:
    /usr/bin/python3 anomaly-eval/src/test/python/ranking_curves.py ../shared/golden/ranking-metrics.json \
        anomaly-eval/src/test/resources/golden/ranking-curves.json
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve


def main(source, target):
    cases = json.load(open(source))["cases"]
    out = []
    for c in cases:
        y = np.array(c["labels"], dtype=int)
        s = np.array(c["scores"], dtype=float)
        fpr, tpr, roc_thr = roc_curve(y, s)
        precision, recall, pr_thr = precision_recall_curve(y, s)
        out.append({
            "name": c["name"], "labels": c["labels"], "scores": c["scores"],
            "rocAuc": float(roc_auc_score(y, s)),
            "averagePrecision": float(average_precision_score(y, s)),
            "fpr": fpr.tolist(), "tpr": tpr.tolist(),
            # 1.2.1 puts max(score) + 1 first; the library puts +infinity there (as 1.3 and later do)
            "rocThresholdsAfterFirst": roc_thr[1:].tolist(),
            "precision": precision.tolist(), "recall": recall.tolist(), "prThresholds": pr_thr.tolist(),
        })
    doc = {"source": "scikit-learn %s (NumPy %s) roc_curve / precision_recall_curve on the cases of "
                     "shared golden/ranking-metrics.json; written by anomaly-eval/src/test/python/ranking_curves.py"
                     % (sklearn.__version__, np.__version__),
           "cases": out}
    with open(target, "w") as f:
        # one case per line: a readable diff when a case is added
        f.write('{"source": %s,\n "cases": [\n' % json.dumps(doc["source"]))
        f.write(",\n".join("  " + json.dumps(c) for c in out))
        f.write("\n ]}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
