package io.github.deepc.anomaly.eval.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.eval.threshold.Thresholds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: scores files written row by row and atomically, read with a BOM; thresholds that mean something. */
class ScoresFileReliabilityTest {
    @TempDir
    Path dir;

    @Test
    void aByteOrderMarkBeforeTheHeaderIsAccepted() throws IOException {
        Path f = dir.resolve("bom.csv");
        Files.writeString(f, "\uFEFFpath,patient,label,score\na.png,p1,0,0.25\nb.png,p2,1,0.75\n", StandardCharsets.UTF_8);
        List<ScoreRow> rows = ScoresCsv.read(f);
        assertEquals(2, rows.size());
        assertEquals(Label.ABNORMAL, rows.get(1).label());
    }

    @Test
    void anUnfinishedStreamedFileLeavesThePreviousOneAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("scores.csv");
        ScoresCsv.write(f, List.of(new ScoreRow("old.png", "p", Label.NORMAL, 1.0)));
        try (ScoresCsv.Writer w = ScoresCsv.open(f, false)) {
            for (int i = 0; i < 10_000; i++) {
                w.add(new ScoreRow("new" + i + ".png", "p", Label.NORMAL, i));
            }
            // killed here: no commit
        }
        assertEquals("old.png", ScoresCsv.read(f).get(0).path());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Property(tries = 30)
    void streamedRowsReadBackExactly(@ForAll @Size(max = 50) List<@DoubleRange(min = -1e6, max = 1e6) Double> scores)
            throws IOException {
        Path f = Files.createTempFile("scores", ".csv");
        try {
            try (ScoresCsv.Writer w = ScoresCsv.open(f, true)) {
                for (int i = 0; i < scores.size(); i++) {
                    w.add(new ScoreRow("p, \"" + i + "\".png", "x" + i, i % 2 == 0 ? Label.NORMAL : Label.ABNORMAL,
                            scores.get(i), i % 3 == 0 ? ScoreRow.NO_DECISION : i % 2));
                }
                w.commit();
            }
            List<ScoreRow> back = ScoresCsv.read(f);
            assertEquals(scores.size(), back.size());
            for (int i = 0; i < scores.size(); i++) {
                assertEquals(scores.get(i), back.get(i).score());
                assertEquals("p, \"" + i + "\".png", back.get(i).path());
                assertEquals(i % 3 == 0 ? ScoreRow.NO_DECISION : i % 2, back.get(i).decision());
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void anF1ThresholdNeedsBothClasses() {
        List<ScoreRow> abnormalOnly = List.of(new ScoreRow("a", "a", Label.ABNORMAL, 0.4),
                new ScoreRow("b", "b", Label.ABNORMAL, 0.9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Thresholds.maxF1(abnormalOnly));
        assertTrue(e.getMessage().contains("at least one normal") && e.getMessage().contains("2 abnormal"),
                e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
