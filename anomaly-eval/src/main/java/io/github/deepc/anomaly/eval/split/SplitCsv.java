package io.github.deepc.anomaly.eval.split;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.eval.io.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves and reloads a {@link DataSplit} as CSV: {@code id,path,patient,label,class,split} with label 0 (normal),
 * 1 (abnormal) or empty (unknown) and split {@code train}, {@code validation}, {@code test} or {@code unused}; one
 * row per sample, in the split's order. Written atomically.
 */
public final class SplitCsv {
    /** The header line. */
    public static final String HEADER = "id,path,patient,label,class,split";

    private SplitCsv() {
    }

    /**
     * @param file  where to write (parents created)
     * @param split the split
     * @throws IOException when writing fails
     */
    public static void write(Path file, DataSplit split) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (DataSplit.Assignment a : split.assignments()) {
            Sample s = a.sample();
            b.append(Csv.line(List.of(s.id(), s.path().toString(), s.patientId(),
                    s.label() == Label.UNKNOWN ? "" : Integer.toString(s.label().code()), s.className(),
                    a.split().word()))).append('\n');
        }
        Csv.writeAtomically(file, b.toString());
    }

    /**
     * @param file a split CSV
     * @return the split
     * @throws IOException when the file is missing or malformed; the message names the file and line
     */
    public static DataSplit read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("split file not found: " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException("split file " + file + " must start with the header '" + HEADER + "'");
        }
        List<DataSplit.Assignment> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = Csv.split(lines.get(i));
            String where = file + " line " + (i + 1) + ": ";
            if (f.size() != 6) {
                throw new IOException(where + "expected 6 fields (" + HEADER + "), got " + f.size());
            }
            Label label = switch (f.get(3).trim()) {
                case "0" -> Label.NORMAL;
                case "1" -> Label.ABNORMAL;
                case "" -> Label.UNKNOWN;
                default -> throw new IOException(where + "label must be 0, 1 or empty, got '" + f.get(3) + "'");
            };
            SplitName name;
            try {
                name = SplitName.parse(f.get(5));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + e.getMessage(), e);
            }
            out.add(new DataSplit.Assignment(new Sample(f.get(0), Path.of(f.get(1)), f.get(2), f.get(4), label), name));
        }
        try {
            return new DataSplit(out);
        } catch (IllegalArgumentException e) {
            throw new IOException("split file " + file + " is inconsistent: " + e.getMessage(), e);
        }
    }
}
