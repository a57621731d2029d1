package io.github.deepc.anomaly.eval.scores;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import io.github.deepc.anomaly.eval.io.Csv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes score tables: {@code path,patient,label,score}, label 0 (normal), 1 (abnormal) or empty
 * (unknown); when any row carries a decision (the detector had a threshold), a fifth column {@code decision}
 * (0, 1, or empty for a row without one) follows. Both forms are read. Fields containing commas or quotes are
 * quoted as in RFC 4180. Scores are written with {@link Double#toString(double)}, so a read-back table holds
 * exactly the same values.
 */
public final class ScoresCsv {
    /** The header line of the four-column form. */
    public static final String HEADER = "path,patient,label,score";
    /** The header line of the five-column form, with decisions. */
    public static final String HEADER_WITH_DECISION = HEADER + ",decision";

    private ScoresCsv() {
    }

    /**
     * Writes the four-column form, or the five-column form when any row has a decision.
     *
     * @param file where to write (parents created)
     * @param rows the rows
     * @throws IOException when writing fails
     */
    public static void write(Path file, List<ScoreRow> rows) throws IOException {
        boolean decisions = rows.stream().anyMatch(r -> r.decision() != ScoreRow.NO_DECISION);
        try (Writer w = open(file, decisions)) {
            for (ScoreRow r : rows) {
                w.add(r);
            }
            w.commit();
        }
    }

    /**
     * Starts writing a scores file row by row (for results streamed while they are produced): nothing appears at
     * {@code file} until {@link Writer#commit()}, which replaces it atomically; closing without a commit leaves the
     * previous file and no temporary file.
     *
     * @param file      where to write (parents created)
     * @param decisions whether to write the five-column form
     * @return the writer
     * @throws IOException naming the file when it cannot be created
     */
    public static Writer open(Path file, boolean decisions) throws IOException {
        return new Writer(AtomicFiles.open(file), decisions);
    }

    /** Writes a scores file row by row; see {@link #open(Path, boolean)}. */
    public static final class Writer implements AutoCloseable {
        private final AtomicFiles.Pending pending;
        private final BufferedWriter w;
        private final boolean decisions;
        private long rows;

        private Writer(AtomicFiles.Pending pending, boolean decisions) throws IOException {
            this.pending = pending;
            this.decisions = decisions;
            this.w = new BufferedWriter(new OutputStreamWriter(pending.stream(), StandardCharsets.UTF_8));
            w.write(decisions ? HEADER_WITH_DECISION : HEADER);
            w.newLine();
        }

        /**
         * @param r the next row
         * @throws IOException when writing fails
         */
        public void add(ScoreRow r) throws IOException {
            w.write(Csv.quote(r.path()) + "," + Csv.quote(r.patient()) + ","
                    + (r.label() == Label.UNKNOWN ? "" : Integer.toString(r.label().code())) + "," + r.score());
            if (decisions) {
                w.write("," + (r.decision() == ScoreRow.NO_DECISION ? "" : Integer.toString(r.decision())));
            }
            w.newLine();
            rows++;
        }

        /** @return the rows written so far */
        public long rows() {
            return rows;
        }

        /**
         * Publishes the file.
         *
         * @throws IOException naming the file when that fails (the previous file is then unchanged)
         */
        public void commit() throws IOException {
            w.flush();
            pending.commit();
        }

        /** Abandons the file unless committed. */
        @Override
        public void close() {
            pending.close();
        }
    }

    /**
     * @param file a scores CSV, four- or five-column form
     * @return its rows
     * @throws IOException when the file is missing or malformed; the message names the file and line
     */
    public static List<ScoreRow> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("scores file not found: " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        // a byte-order mark (spreadsheet programs write one when saving UTF-8 CSV) is not part of the header
        String header = lines.isEmpty() ? "" : lines.get(0).replace("\uFEFF", "").trim();
        if (!header.equals(HEADER) && !header.equals(HEADER_WITH_DECISION)) {
            throw new IOException("scores file " + file + " must start with the header '" + HEADER + "' (or '"
                    + HEADER_WITH_DECISION + "')");
        }
        int columns = header.equals(HEADER) ? 4 : 5;
        List<ScoreRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> f = Csv.split(line);
            if (f.size() != columns) {
                throw new IOException(file + " line " + (i + 1) + ": expected " + columns + " fields (" + header + "), got "
                        + f.size());
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
            int decision = ScoreRow.NO_DECISION;
            if (columns == 5) {
                decision = switch (f.get(4).trim()) {
                    case "0" -> 0;
                    case "1" -> 1;
                    case "" -> ScoreRow.NO_DECISION;
                    default -> throw new IOException(file + " line " + (i + 1) + ": decision must be 0, 1 or empty, got '"
                            + f.get(4) + "'");
                };
            }
            rows.add(new ScoreRow(f.get(0), f.get(1), label, score, decision));
        }
        return rows;
    }
}
