package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.preprocess.GrayPngWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a preprocessing pipeline over sample rows on Spark. Each image gets the seed the single-JVM path gives it
 * ({@code Seeds.mix(seed, sample id)}, as {@code anomaly preprocess} and the detector use), so the output is identical
 * to a local run. Results: {@link #SCHEMA} rows (pixels and valid-pixel mask as arrays), written as Parquet
 * partitioned by class folder ({@link #writeParquet}) or as 8-bit PNG files like {@code anomaly preprocess} writes
 * ({@link #writePngs}). A failing image gives a row with an {@code error}, never a missing row.
 */
public final class SparkPreprocessor {
    /** The Parquet data set folder written by {@link #writeParquet}. */
    public static final String IMAGES_PARQUET = "images.parquet";

    /** Output rows: one per input image. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("ordinal", DataTypes.LongType, false),
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("className", DataTypes.StringType, false),
        DataTypes.createStructField("width", DataTypes.IntegerType, true),
        DataTypes.createStructField("height", DataTypes.IntegerType, true),
        DataTypes.createStructField("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("mask", DataTypes.createArrayType(DataTypes.BooleanType, false), true),
        DataTypes.createStructField("notes", DataTypes.createArrayType(DataTypes.StringType, false), false),
        DataTypes.createStructField("written", DataTypes.StringType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true)});

    private final SparkSession spark;
    private final StageSpecs stages;
    private final long seed;
    private final boolean training;

    /**
     * @param spark    the session
     * @param stages   the pipeline's stages (checked here, on the driver)
     * @param seed     master seed; image i gets {@code Seeds.mix(seed, id)}
     * @param training whether training-only stages (augment) apply
     * @throws io.github.deepc.anomaly.core.spi.PluginException for an unknown stage or bad parameter
     */
    public SparkPreprocessor(SparkSession spark, List<PluginSpec> stages, long seed, boolean training) {
        Pipeline.create(stages, PluginRegistry.defaultRegistry());
        this.spark = spark;
        this.stages = new StageSpecs(stages);
        this.seed = seed;
        this.training = training;
    }

    /**
     * @param samples sample rows ({@link SampleRows})
     * @return processed images, lazily
     */
    public Dataset<Row> process(Dataset<Row> samples) {
        return samples.mapPartitions(new Process(stages, seed, training, new HadoopConf(spark.sparkContext().hadoopConfiguration()),
                null), Encoders.row(SCHEMA));
    }

    /**
     * Writes {@code out/images.parquet}, partitioned by {@code className}.
     *
     * @param samples sample rows
     * @param out     output folder (local or Hadoop URI)
     * @return the data set folder
     */
    public String writeParquet(Dataset<Row> samples, String out) {
        String target = out.replaceAll("/+$", "") + "/" + IMAGES_PARQUET;
        process(samples).write().mode(SaveMode.Overwrite).partitionBy("className").parquet(target);
        return target;
    }

    /**
     * Writes every processed image as an 8-bit PNG under {@code out} (path relative to the data root, extension
     * {@code .png}, as {@code anomaly preprocess} does); {@code out} must be a folder every executor shares.
     *
     * @param samples sample rows
     * @param out     output folder
     * @return per image: {@code path}, {@code written} (the PNG) or {@code error}, in input order
     */
    public List<Row> writePngs(Dataset<Row> samples, String out) {
        Dataset<Row> rows = samples.mapPartitions(new Process(stages, seed, training,
                new HadoopConf(spark.sparkContext().hadoopConfiguration()), out), Encoders.row(SCHEMA));
        return rows.select("ordinal", "path", "written", "error").orderBy("ordinal").collectAsList();
    }

    /** Processes one partition, one image at a time. */
    private static final class Process implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final StageSpecs stages;
        private final long seed;
        private final boolean training;
        private final HadoopConf hadoop;
        private final String pngDir;

        Process(StageSpecs stages, long seed, boolean training, HadoopConf hadoop, String pngDir) {
            this.stages = stages;
            this.seed = seed;
            this.training = training;
            this.hadoop = hadoop;
            this.pngDir = pngDir;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            Pipeline pipeline = Pipeline.create(stages.specs(), PluginRegistry.defaultRegistry());
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return input.hasNext();
                }

                @Override
                public Row next() {
                    return process(pipeline, input.next());
                }
            };
        }

        private Row process(Pipeline pipeline, Row r) {
            String id = r.getAs(SampleRows.ID);
            String path = r.getAs(SampleRows.PATH);
            byte[] content = r.schema().getFieldIndex(SampleRows.CONTENT).isDefined() ? r.getAs(SampleRows.CONTENT) : null;
            try (LocalFiles.Local local = LocalFiles.resolve(path, content, hadoop.get())) {
                GrayImage original = io.github.deepc.anomaly.core.imageio.ImageDecoders.decode(local.path());
                ProcessedImage p = pipeline.apply(original, training, Seeds.mix(seed, id));
                GrayImage img = p.image();
                String written = null;
                if (pngDir != null) {
                    Path file = Path.of(pngDir).resolve(pngName(id));
                    GrayPngWriter.writePng(img, file);
                    written = file.toString();
                    return RowFactory.create(r.getAs(SampleRows.ORDINAL), id, path, r.getAs(SampleRows.CLASS_NAME), img.width(),
                            img.height(), null, null, p.notes().toArray(new String[0]), written, null);
                }
                return RowFactory.create(r.getAs(SampleRows.ORDINAL), id, path, r.getAs(SampleRows.CLASS_NAME), img.width(),
                        img.height(), boxed(img.pixels()), boxed(img.mask()), p.notes().toArray(new String[0]), null, null);
            } catch (IOException | RuntimeException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                return RowFactory.create(r.getAs(SampleRows.ORDINAL), id, path, r.getAs(SampleRows.CLASS_NAME), null, null, null, null,
                        new String[0], null, m);
            }
        }
    }

    /**
     * @param id a sample id (path relative to the data root)
     * @return the same relative path with the extension {@code .png}
     */
    static String pngName(String id) {
        String safe = id.replace('\\', '/');
        int slash = safe.lastIndexOf('/');
        int dot = safe.lastIndexOf('.');
        return (dot > slash + 1 ? safe.substring(0, dot) : safe) + ".png";
    }

    private static Float[] boxed(float[] a) {
        Float[] out = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static Boolean[] boxed(boolean[] a) {
        Boolean[] out = new Boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /**
     * @param row a processed row with pixels (from {@link #process})
     * @return its image
     */
    public static GrayImage image(Row row) {
        List<Float> px = row.getList(row.fieldIndex("pixels"));
        List<Boolean> mk = row.getList(row.fieldIndex("mask"));
        float[] p = new float[px.size()];
        boolean[] m = new boolean[mk.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = px.get(i);
            m[i] = mk.get(i);
        }
        return GrayImage.of(row.getAs("width"), row.getAs("height"), p, m);
    }

}
