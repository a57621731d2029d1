package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.ItemFailure;
import io.github.deepc.anomaly.core.heatmap.HeatmapOverlay;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one partition of sample rows, streaming: rows are taken {@value #CHUNK} at a time and scored with
 * {@link AnomalyDetector#scoreAll} (one batched inference per chunk), so a partition of any size holds one chunk of
 * images. Every input row gives exactly one output row; unreadable images get an {@code error}.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScorePartition.class);
    /** Images per scoreAll call: the detector's own inference batch. */
    static final int CHUNK = 64;

    private final Broadcast<byte[]> detector;
    private final HadoopConf hadoop;
    private final String heatmapDir;
    private final LongAccumulator scored;
    private final LongAccumulator failed;
    private final org.apache.spark.util.CollectionAccumulator<String> partitionFailures;

    ScorePartition(Broadcast<byte[]> detector, HadoopConf hadoop, String heatmapDir, LongAccumulator scored,
                   LongAccumulator failed, org.apache.spark.util.CollectionAccumulator<String> partitionFailures) {
        this.detector = detector;
        this.hadoop = hadoop;
        this.heatmapDir = heatmapDir;
        this.scored = scored;
        this.failed = failed;
        this.partitionFailures = partitionFailures;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        AnomalyDetector d = ExecutorDetectors.get(detector.value());
        TaskContext task = TaskContext.get();
        int partition = task == null ? -1 : task.partitionId();
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private long okCount;
            private long errorCount;
            private boolean reported;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && input.hasNext()) {
                    List<Row> chunk = new ArrayList<>(CHUNK);
                    while (chunk.size() < CHUNK && input.hasNext()) {
                        chunk.add(input.next());
                    }
                    ready.addAll(score(d, chunk));
                }
                if (ready.isEmpty() && !reported) {
                    reported = true;
                    scored.add(okCount);
                    failed.add(errorCount);
                    partitionFailures.add(partition + "," + okCount + "," + errorCount);
                    LOG.info("partition {}: {} scored, {} failed", partition, okCount, errorCount);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = ready.poll();
                if (r.isNullAt(5)) {
                    okCount++;
                } else {
                    errorCount++;
                }
                return r;
            }
        };
    }

    private List<Row> score(AnomalyDetector d, List<Row> chunk) {
        Row[] out = new Row[chunk.size()];
        List<LocalFiles.Local> locals = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        Map<Sample, Integer> position = new IdentityHashMap<>();
        try {
            for (int i = 0; i < chunk.size(); i++) {
                Row r = chunk.get(i);
                String path = r.getAs(SampleRows.PATH);
                byte[] content = hasContent(r) ? r.getAs(SampleRows.CONTENT) : null;
                try {
                    LocalFiles.Local local = LocalFiles.resolve(path, content, hadoop.get());
                    locals.add(local);
                    Sample s = new Sample(r.getAs(SampleRows.ID), local.path(), r.getAs(SampleRows.PATIENT),
                            r.getAs(SampleRows.CLASS_NAME), SampleRows.label(r.getAs(SampleRows.LABEL)));
                    samples.add(s);
                    position.put(s, i);
                } catch (IOException | RuntimeException e) {
                    out[i] = row(r, null, null, message(e));
                }
            }
            if (!samples.isEmpty()) {
                BatchResult<Detection> result = d.scoreAll(samples, ProgressListener.NONE);
                for (Detection det : result.results()) {
                    int i = position.get(det.sample());
                    out[i] = row(chunk.get(i), det.score(), det.decision().isPresent() ? det.decision().getAsInt() : null, null);
                    writeHeatmap(det, chunk.get(i));
                }
                Map<String, String> reasons = new HashMap<>();
                for (ItemFailure f : result.failures()) {
                    reasons.put(f.item(), f.reason());
                }
                for (Sample s : samples) {
                    int i = position.get(s);
                    if (out[i] == null) {
                        String reason = reasons.getOrDefault(s.path().toString(), "not scored (no result from the detector)");
                        out[i] = row(chunk.get(i), null, null, reason.replace(s.path().toString(), chunk.get(i).getAs(SampleRows.PATH)));
                    }
                }
            }
        } finally {
            for (LocalFiles.Local l : locals) {
                try {
                    l.close();
                } catch (IOException e) {
                    LOG.warn("cannot delete temporary copy {}: {}", l.path(), e.toString());
                }
            }
        }
        return List.of(out);
    }

    private void writeHeatmap(Detection det, Row input) {
        if (heatmapDir == null || det.heatmap() == null) {
            return;
        }
        // named as score names them (file name + hash of the path), so the two outputs can be compared file by file
        String name = io.github.deepc.anomaly.cli.HeatmapNames.fileName(Path.of((String) input.getAs(SampleRows.PATH)));
        try {
            HeatmapOverlay.writePng(det.preprocessed(), det.heatmap(), Path.of(heatmapDir).resolve(name));
        } catch (IOException e) {
            LOG.warn("cannot write the heat map of {}: {}", input.getAs(SampleRows.PATH), e.toString());
        }
    }

    private static boolean hasContent(Row r) {
        return r.schema() != null && r.schema().getFieldIndex(SampleRows.CONTENT).isDefined() && !r.isNullAt(r.fieldIndex(SampleRows.CONTENT));
    }

    private static Row row(Row in, Double score, Integer decision, String error) {
        return RowFactory.create(in.getAs(SampleRows.PATH), in.getAs(SampleRows.PATIENT), in.getAs(SampleRows.LABEL), score, decision,
                error, in.getAs(SampleRows.ORDINAL));
    }

    private static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
