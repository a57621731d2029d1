package io.github.deepc.anomaly.eval.io;

import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small CSV dialect of this module's tables (RFC 4180 quoting: a field holding a comma, quote or line break is
 * quoted, quotes doubled) and atomic file replacement, shared by scores, splits and experiment results.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * @param field a field value ({@code null} is written empty)
     * @return the value, quoted when it needs to be
     */
    public static String quote(String field) {
        if (field == null) {
            return "";
        }
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }

    /**
     * @param fields field values
     * @return one CSV line (without line break)
     */
    public static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(quote(fields.get(i)));
        }
        return b.toString();
    }

    /**
     * Splits one line into fields, undoing {@link #quote(String)}.
     *
     * @param line a CSV line
     * @return its fields
     */
    public static List<String> split(String line) {
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

    /**
     * Writes a text file atomically: to a temporary file beside it, then moved over it, so that a reader (or a
     * resumed run after a crash) sees either the old or the new content, never half of it. Parent folders are
     * created.
     *
     * @param file    the file
     * @param content its new content (UTF-8)
     * @throws IOException when writing fails
     */
    public static void writeAtomically(Path file, String content) throws IOException {
        writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a file atomically (see {@link #writeAtomically(Path, String)}).
     *
     * @param file    the file
     * @param content its new content
     * @throws IOException when writing fails
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        AtomicFiles.write(file, content);
    }
}
