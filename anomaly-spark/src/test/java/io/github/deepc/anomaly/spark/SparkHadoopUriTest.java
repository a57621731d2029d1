package io.github.deepc.anomaly.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Data and detector given as Hadoop URIs (a non-file scheme) score exactly as the local folder does. */
class SparkHadoopUriTest {
    @Test
    void aHadoopUriIsListedAndScoredLikeTheLocalFolder() throws IOException {
        SparkSession spark = TestSpark.session();
        spark.sparkContext().hadoopConfiguration().set("fs.hlocal.impl", HlocalFileSystem.class.getName());
        String root = "hlocal://" + TestSpark.phantoms().toAbsolutePath();
        SparkScorer scorer = SparkScorer.load(spark, "hlocal://" + TestSpark.phantomDetector().toAbsolutePath());
        List<Row> rows = scorer.score(SampleRows.of(spark, root, "NORMAL", 2)).collectAsList();
        List<Sample> samples = ClassFolderLayout.withNormalClass("NORMAL").load(TestSpark.phantoms()).samples();
        assertEquals(samples.size(), rows.size());
        Map<String, Row> byPath = new HashMap<>();
        rows.forEach(r -> byPath.put(r.getAs(ScoreRows.PATH), r));
        try (AnomalyDetector d = AnomalyDetector.load(TestSpark.phantomDetector())) {
            for (Sample s : samples) {
                Row r = byPath.get(root + "/" + s.id());
                assertTrue(r != null, "no row for " + root + "/" + s.id() + " among " + byPath.keySet());
                assertEquals(s.patientId(), r.getAs(ScoreRows.PATIENT));
                if (s.id().endsWith("zz-corrupt.png")) {
                    assertTrue(((String) r.getAs(ScoreRows.ERROR)).contains(root + "/" + s.id()), (String) r.getAs(ScoreRows.ERROR));
                    continue;
                }
                assertNull(r.getAs(ScoreRows.ERROR));
                assertEquals(s.label().code(), (int) r.<Integer>getAs(ScoreRows.LABEL));
                assertEquals(d.score(s).score(), r.<Double>getAs(ScoreRows.SCORE), 0.0, s.id());
            }
        }
    }
}
