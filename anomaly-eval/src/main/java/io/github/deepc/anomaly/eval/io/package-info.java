/** File helpers shared by the evaluation tables: CSV quoting and atomic writes. */
package io.github.deepc.anomaly.eval.io;
