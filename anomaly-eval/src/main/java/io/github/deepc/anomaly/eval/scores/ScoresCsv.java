package io.github.deepc.anomaly.eval.scores;

import io.github.deepc.anomaly.core.data.Label;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes score tables: {@code path,patient,label,score}, label 0 (normal), 1 (abnormal) or empty
 * (unknown). Fields containing commas or quotes are quoted as in RFC 4180. Scores are written with
 * {@link Double#toString(double)}, so a read-back table holds exactly the same values.
 */
public final class ScoresCsv {
    /** The header line. */
    public static final String HEADER = "path,patient,label,score";

    private ScoresCsv() {
    }

    /**
     * @param file where to write (parents created)
     * @param rows the rows
     * @throws IOException when writing fails
     */
    public static void write(Path file, List<ScoreRow> rows) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (ScoreRow r : rows) {
                w.write(quote(r.path()) + "," + quote(r.patient()) + ","
                        + (r.label() == Label.UNKNOWN ? "" : Integer.toString(r.label().code())) + "," + r.score());
                w.newLine();
            }
        }
    }

    /**
     * @param file a scores CSV
     * @return its rows
     * @throws IOException when the file is missing or malformed; the message names the file and line
     */
    public static List<ScoreRow> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("scores file not found: " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException("scores file " + file + " must start with the header '" + HEADER + "'");
        }
        List<ScoreRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            if (f.size() != 4) {
                throw new IOException(file + " line " + (i + 1) + ": expected 4 fields (" + HEADER + "), got " + f.size());
            }
            Label label = switch (f.get(2).trim()) {
                case "0" -> Label.NORMAL;
                case "1" -> Label.ABNORMAL;
                case "" -> Label.UNKNOWN;
                default -> throw new IOException(file + " line " + (i + 1) + ": label must be 0, 1 or empty, got '" + f.get(2) + "'");
            };
            double score;
            try {
                score = Double.parseDouble(f.get(3).trim());
            } catch (NumberFormatException e) {
                throw new IOException(file + " line " + (i + 1) + ": score is not a number: '" + f.get(3) + "'", e);
            }
            rows.add(new ScoreRow(f.get(0), f.get(1), label, score));
        }
        return rows;
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
