package io.github.deepc.anomaly.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task that dies mid-way on its first attempt is retried by Spark without losing or duplicating rows. */
class SparkRetryTest {
    @TempDir
    Path tmp;

    /** Passes rows through, but the first attempt of partition 1 dies after a few rows have gone out. */
    private static final class DieOnFirstAttempt implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            TaskContext t = TaskContext.get();
            boolean die = t.partitionId() == 1 && t.attemptNumber() == 0;
            return new Iterator<>() {
                private int passed;

                @Override
                public boolean hasNext() {
                    if (die && passed == 5) {
                        throw new IllegalStateException("injected failure of task attempt 0 after 5 rows");
                    }
                    return input.hasNext();
                }

                @Override
                public Row next() {
                    passed++;
                    return input.next();
                }
            };
        }
    }

    @Test
    void aTaskKilledMidWayIsRetriedWithoutLosingOrDuplicatingRows() throws IOException {
        SparkSession spark = TestSpark.session();
        SparkScorer scorer = SparkScorer.load(spark, TestSpark.phantomDetector().toString());
        Dataset<Row> samples = SampleRows.of(spark, TestSpark.phantoms().toString(), "NORMAL", 3);
        Map<String, Double> expected = scores(scorer.score(samples).collectAsList());

        Dataset<Row> flaky = scorer.score(samples).mapPartitions(new DieOnFirstAttempt(), Encoders.row(ScoreRows.SCHEMA));
        SparkScorer.Summary s = scorer.write(flaky, tmp.toString(), OutputFormat.PARQUET, ProgressListener.NONE);
        Dataset<Row> back = spark.read().parquet(s.output());
        List<Row> rows = back.collectAsList();
        assertEquals(51, rows.size(), "one row per input image");
        assertEquals(51, back.select(ScoreRows.PATH).distinct().count(), "no duplicates");
        assertEquals(expected, scores(rows), "same scores as without the failure");
        assertEquals(50, s.scored(), "counts only the successful attempt");
        assertEquals(1, s.failed());
        assertEquals(3, s.partitionCounts().size());
        assertTrue(s.partitionCounts().values().stream().mapToLong(c -> c[0] + c[1]).sum() == 51);
    }

    private static Map<String, Double> scores(List<Row> rows) {
        Map<String, Double> m = new TreeMap<>();
        List<String> dup = new ArrayList<>();
        for (Row r : rows) {
            if (m.put(r.getAs(ScoreRows.PATH), r.getAs(ScoreRows.SCORE)) != null) {
                dup.add(r.getAs(ScoreRows.PATH));
            }
        }
        assertTrue(dup.isEmpty(), "duplicates: " + dup);
        return m;
    }
}
