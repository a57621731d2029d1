package io.github.deepc.anomaly.eval.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitCsvTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsAwkwardNamesAndEverySplit() throws IOException {
        List<DataSplit.Assignment> a = List.of(
                new DataSplit.Assignment(new Sample("NORMAL/a,b.png", Path.of("/d/NORMAL/a,b.png"), "p \"1\"", "NORMAL", Label.NORMAL), SplitName.TRAIN),
                new DataSplit.Assignment(new Sample("ABNORMAL/c.png", Path.of("/d/ABNORMAL/c.png"), "p2", "ABNORMAL", Label.ABNORMAL), SplitName.VALIDATION),
                new DataSplit.Assignment(new Sample("NORMAL/d.png", Path.of("/d/NORMAL/d.png"), "p3", "NORMAL", Label.NORMAL), SplitName.TEST),
                new DataSplit.Assignment(new Sample("e.png", Path.of("/d/e.png"), "e", "", Label.UNKNOWN), SplitName.UNUSED));
        DataSplit split = new DataSplit(a);
        Path f = tmp.resolve("split.csv");
        SplitCsv.write(f, split);
        assertEquals(SplitCsv.HEADER, Files.readAllLines(f).get(0));
        assertTrue(Files.readString(f).contains(",train\n") && Files.readString(f).contains(",unused\n"));
        DataSplit back = SplitCsv.read(f);
        assertEquals(split, back);
        assertEquals(a.get(0).sample(), back.assignments().get(0).sample());
        assertEquals("train: 1 normal, 0 abnormal; validation: 0 normal, 1 abnormal; test: 1 normal, 0 abnormal; "
                + "unused: 0 normal, 0 abnormal, 1 unlabelled", back.describe());
    }

    @Test
    void malformedFilesNameTheFileAndLine() throws IOException {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, SplitCsv.HEADER + "\na,/a.png,p,0,NORMAL,holdout\n");
        IOException e = assertThrows(IOException.class, () -> SplitCsv.read(f));
        assertTrue(e.getMessage().contains("bad.csv line 2") && e.getMessage().contains("holdout"), e.getMessage());
        Files.writeString(f, "path,split\n");
        e = assertThrows(IOException.class, () -> SplitCsv.read(f));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        Files.writeString(f, SplitCsv.HEADER + "\na,/a.png,p,1,ABNORMAL,train\n");
        e = assertThrows(IOException.class, () -> SplitCsv.read(f));
        assertTrue(e.getMessage().contains("not normal"), e.getMessage());
        assertThrows(IOException.class, () -> SplitCsv.read(tmp.resolve("missing.csv")));
    }

    @Test
    void aPatientWithBothClassesNeverTrains() {
        List<Sample> s = List.of(
                new Sample("n1", Path.of("/n1.png"), "mixed", "NORMAL", Label.NORMAL),
                new Sample("a1", Path.of("/a1.png"), "mixed", "ABNORMAL", Label.ABNORMAL),
                new Sample("n2", Path.of("/n2.png"), "clean", "NORMAL", Label.NORMAL));
        DataSplit split = DataSplit.research(s, 1.0, 0.5, 1);
        assertEquals(List.of(s.get(2)), split.train());
        assertEquals(2, split.validation().size() + split.test().size());
        assertTrue(split.validation().isEmpty() || split.test().isEmpty(), "the mixed patient stays on one side");
    }
}
