package io.github.deepc.anomaly.eval.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresCsvTest {
    @TempDir
    Path tmp;

    @Test
    void rowsWithoutDecisionsKeepTheFourColumnForm() throws IOException {
        Path f = tmp.resolve("s.csv");
        List<ScoreRow> rows = List.of(new ScoreRow("a,1.png", "p", Label.NORMAL, 0.1), new ScoreRow("b.png", "q", Label.UNKNOWN, 0.2));
        ScoresCsv.write(f, rows);
        assertEquals(ScoresCsv.HEADER, Files.readAllLines(f).get(0));
        assertEquals(rows, ScoresCsv.read(f));
    }

    @Test
    void decisionsAddAFifthColumnAndReadBack() throws IOException {
        Path f = tmp.resolve("d.csv");
        List<ScoreRow> rows = List.of(new ScoreRow("a.png", "p", Label.NORMAL, 0.1, 0),
                new ScoreRow("b.png", "q", Label.ABNORMAL, 0.7, 1), new ScoreRow("c.png", "r", Label.ABNORMAL, 0.2));
        ScoresCsv.write(f, rows);
        List<String> lines = Files.readAllLines(f);
        assertEquals(ScoresCsv.HEADER_WITH_DECISION, lines.get(0));
        assertEquals("b.png,q,1,0.7,1", lines.get(2));
        assertEquals("c.png,r,1,0.2,", lines.get(3));
        List<ScoreRow> back = ScoresCsv.read(f);
        assertEquals(rows, back);
        assertEquals(OptionalInt.of(1), back.get(1).decisionIfAny());
        assertEquals(OptionalInt.empty(), back.get(2).decisionIfAny());
    }

    @Test
    void badDecisionsNameTheLine() throws IOException {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, ScoresCsv.HEADER_WITH_DECISION + "\na.png,p,0,0.1,yes\n");
        IOException e = assertThrows(IOException.class, () -> ScoresCsv.read(f));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("decision"), e.getMessage());
        Files.writeString(f, ScoresCsv.HEADER_WITH_DECISION + "\na.png,p,0,0.1\n");
        e = assertThrows(IOException.class, () -> ScoresCsv.read(f));
        assertTrue(e.getMessage().contains("expected 5 fields"), e.getMessage());
    }
}
