package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.PatientIds;
import io.github.deepc.anomaly.core.data.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input of the Spark jobs: one row per image, {@code ordinal, id, path, patient, className, label} (label 0, 1 or
 * null when unknown), built from a local folder (exactly as the single-JVM tools list it, so that sample ids and
 * hence per-image seeds agree) or from any Hadoop file system URI ({@code hdfs://}, {@code s3a://}, ...) laid out as
 * class folders. A DataFrame with just a {@code path} column (and optionally {@code content} bytes, as Spark's
 * {@code binaryFile} source gives) is completed by {@link #fromPaths}.
 */
public final class SampleRows {
    /** Column: position of the sample in the input, so that outputs can keep the input order. */
    public static final String ORDINAL = "ordinal";
    /** Column: sample id (path relative to the data root; it seeds the per-image randomness). */
    public static final String ID = "id";
    /** Column: the image path or URI as given. */
    public static final String PATH = "path";
    /** Column: patient id. */
    public static final String PATIENT = "patient";
    /** Column: class folder name, empty when none. */
    public static final String CLASS_NAME = "className";
    /** Column: 0 normal, 1 abnormal, null unknown. */
    public static final String LABEL = "label";
    /** Optional input column: the image file's bytes. */
    public static final String CONTENT = "content";

    /** The schema of sample rows. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ORDINAL, DataTypes.LongType, false),
        DataTypes.createStructField(ID, DataTypes.StringType, false),
        DataTypes.createStructField(PATH, DataTypes.StringType, false),
        DataTypes.createStructField(PATIENT, DataTypes.StringType, false),
        DataTypes.createStructField(CLASS_NAME, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.IntegerType, true)});

    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp");

    private SampleRows() {
    }

    /**
     * Lists a data set into sample rows.
     *
     * @param spark       the session
     * @param data        a local folder (class folders, loose images or MURA) or a Hadoop URI of class folders
     * @param normalClass the normal class folder name
     * @param partitions  number of partitions, 0 for max(default parallelism, images / 1000)
     * @return the rows, in the single-JVM tools' order
     * @throws IllegalArgumentException when the folder is missing or holds no image
     */
    public static Dataset<Row> of(SparkSession spark, String data, String normalClass, int partitions) {
        List<Row> rows = isLocal(data) ? localRows(data, normalClass) : hadoopRows(spark, data, normalClass);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no images (png/jpg/jpeg/tif/bmp) in " + data);
        }
        int n = partitions > 0 ? partitions : Math.max(spark.sparkContext().defaultParallelism(), rows.size() / 1000);
        // contiguous ordinal ranges in order: written or collected partition by partition, rows keep the input order
        return spark.createDataFrame(rows, SCHEMA).repartitionByRange(Math.max(1, Math.min(n, rows.size())),
                org.apache.spark.sql.functions.col(ORDINAL)).sortWithinPartitions(ORDINAL);
    }

    /**
     * @param samples samples as the single-JVM API lists them
     * @return one row per sample, ordinals in list order
     */
    public static List<Row> rows(List<Sample> samples) {
        List<Row> rows = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            rows.add(RowFactory.create((long) i, s.id(), s.path().toString(), s.patientId(), s.className(), labelCode(s.label())));
        }
        return rows;
    }

    /**
     * Completes a DataFrame of paths into sample rows: the id is the file name (per-image seeds then depend on the
     * name only), the patient comes from the file name, the label is unknown, the ordinal follows the input order.
     * A {@code content} column, when present, is kept (the image is then decoded from it, not read from the path).
     *
     * @param paths a DataFrame with a string column {@code path}
     * @return sample rows (plus {@code content} when given)
     * @throws IllegalArgumentException when there is no {@code path} column
     */
    public static Dataset<Row> fromPaths(Dataset<Row> paths) {
        List<String> columns = List.of(paths.columns());
        if (!columns.contains(PATH)) {
            throw new IllegalArgumentException("the input DataFrame needs a string column 'path' (and may have binary 'content'); "
                    + "columns found: " + columns);
        }
        Dataset<Row> withIndex = paths.withColumn(ORDINAL, org.apache.spark.sql.functions.monotonically_increasing_id());
        org.apache.spark.sql.Column name = org.apache.spark.sql.functions.regexp_extract(
                org.apache.spark.sql.functions.col(PATH), "([^/]+)$", 1);
        Dataset<Row> out = withIndex
                .withColumn(ID, name)
                .withColumn(PATIENT, org.apache.spark.sql.functions.udf(
                        (org.apache.spark.sql.api.java.UDF1<String, String>) PatientIds::fromFileName, DataTypes.StringType).apply(name))
                .withColumn(CLASS_NAME, org.apache.spark.sql.functions.lit(""))
                .withColumn(LABEL, org.apache.spark.sql.functions.lit(null).cast(DataTypes.IntegerType));
        List<org.apache.spark.sql.Column> select = new ArrayList<>();
        for (StructField field : SCHEMA.fields()) {
            select.add(org.apache.spark.sql.functions.col(field.name()));
        }
        if (columns.contains(CONTENT)) {
            select.add(org.apache.spark.sql.functions.col(CONTENT));
        }
        return out.select(select.toArray(new org.apache.spark.sql.Column[0]));
    }

    /**
     * @param data a folder or URI
     * @return whether it names the local file system (no scheme, or {@code file:})
     */
    static boolean isLocal(String data) {
        if (data.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !data.matches("^[A-Za-z]:[\\\\/].*")) {
            return data.toLowerCase(Locale.ROOT).startsWith("file:");
        }
        return true;
    }

    private static Path localPath(String data) {
        return data.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(data)) : Path.of(data);
    }

    private static List<Row> localRows(String data, String normalClass) {
        DataSet ds = DataSets.detect(localPath(data), normalClass);
        return rows(ds.samples());
    }

    /** Class folders on a Hadoop file system: ROOT/*.png unlabelled, ROOT/CLASS/**.png labelled by class. */
    private static List<Row> hadoopRows(SparkSession spark, String data, String normalClass) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(data);
        List<Sample> samples = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new IllegalArgumentException("data folder " + data + " is not a folder");
            }
            String rootUri = fs.makeQualified(root).toUri().toString().replaceAll("/+$", "");
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                String uri = st.getPath().toUri().toString();
                String name = st.getPath().getName();
                if (!isImage(name) || !uri.startsWith(rootUri + "/")) {
                    continue;
                }
                String rel = uri.substring(rootUri.length() + 1);
                int slash = rel.indexOf('/');
                String cls = slash < 0 ? "" : rel.substring(0, slash);
                Label label = cls.isEmpty() ? Label.UNKNOWN : cls.equalsIgnoreCase(normalClass) ? Label.NORMAL : Label.ABNORMAL;
                samples.add(new Sample(rel, Path.of(rel), PatientIds.fromFileName(name), cls, label));
            }
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("data folder not found: " + data, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + data + ": " + e.getMessage(), e);
        }
        samples.sort(java.util.Comparator.comparing(Sample::id));
        List<Row> rows = new ArrayList<>(samples.size());
        String base = data.replaceAll("/+$", "");
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            rows.add(RowFactory.create((long) i, s.id(), base + "/" + s.id(), s.patientId(), s.className(), labelCode(s.label())));
        }
        return rows;
    }

    private static boolean isImage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static Integer labelCode(Label label) {
        return label == Label.UNKNOWN ? null : label.code();
    }

    /**
     * @param code a label column value
     * @return the label
     */
    static Label label(Integer code) {
        if (code == null) {
            return Label.UNKNOWN;
        }
        return code == 0 ? Label.NORMAL : Label.ABNORMAL;
    }
}
