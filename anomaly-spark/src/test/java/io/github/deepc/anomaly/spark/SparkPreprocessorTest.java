package io.github.deepc.anomaly.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.cli.AnomalyCli;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.presets.Pipelines;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preprocessing on Spark gives the single-JVM path's images: same per-image seeds, identical pixels and files. */
class SparkPreprocessorTest {
    @TempDir
    Path tmp;

    @Test
    void seededAugmentationGivesIdenticalPixelsAndMasks() throws IOException {
        SparkSession spark = TestSpark.session();
        List<PluginSpec> specs = new ArrayList<>(Pipelines.named("default"));
        specs.replaceAll(s -> s.id().equals("resize") || s.params().containsKey("size") ? s.with("size", "32") : s);
        specs.add(1, PluginSpec.of("augment"));
        Pipeline local = Pipeline.create(specs, PluginRegistry.defaultRegistry());
        SparkPreprocessor p = new SparkPreprocessor(spark, specs, 11, true);
        List<Row> rows = p.process(SampleRows.of(spark, TestSpark.phantoms().toString(), "NORMAL", 3)).collectAsList();
        List<Sample> samples = ClassFolderLayout.withNormalClass("NORMAL").load(TestSpark.phantoms()).samples();
        assertEquals(samples.size(), rows.size());
        Map<String, Row> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.getAs("id"), r));
        int compared = 0;
        for (Sample s : samples) {
            Row r = byId.get(s.id());
            if (s.id().endsWith("zz-corrupt.png")) {
                assertTrue(((String) r.getAs("error")).contains("zz-corrupt.png"), (String) r.getAs("error"));
                continue;
            }
            assertNull(r.getAs("error"));
            GrayImage expected = local.apply(DataSet.load(s), true, Seeds.mix(11, s.id())).image();
            GrayImage actual = SparkPreprocessor.image(r);
            assertArrayEquals(expected.pixels(), actual.pixels(), 0f, s.id());
            assertArrayEquals(expected.mask(), actual.mask(), s.id());
            compared++;
        }
        assertEquals(50, compared);
    }

    @Test
    void pngFilesEqualThoseOfThePreprocessCommand() throws IOException {
        Path data = TestSpark.phantoms();
        Path single = tmp.resolve("single");
        StringWriter err = new StringWriter();
        assertEquals(0, AnomalyCli.run(new String[] {"preprocess", "--data", data.toString(), "--pipeline", "hand", "--size", "32",
            "--seed", "5", "--sheet", "0", "--out", single.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err)),
                err.toString());
        Path spark = tmp.resolve("spark");
        StringWriter out = new StringWriter();
        assertEquals(0, SparkMain.run(new String[] {"spark-preprocess", "--data", data.toString(), "--pipeline", "hand", "--size", "32",
            "--seed", "5", "--out", spark.toString(), "--partitions", "2"}, new PrintWriter(out), new PrintWriter(err)), err.toString());
        assertTrue(out.toString().contains("wrote 50 images"), out.toString());
        assertTrue(err.toString().contains("zz-corrupt.png"), err.toString());
        List<Path> files;
        try (var walk = Files.walk(single)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(50, files.size());
        for (Path f : files) {
            Path other = spark.resolve(single.relativize(f).toString());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), other.toString());
        }
    }
}
