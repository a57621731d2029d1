package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The on-disk form of a detector: one zip file holding {@code detector.json} (format version, configuration,
 * provenance, optional decision threshold), {@code model.bin} and {@code scorer.bin} (the plugins' own state formats).
 * Format 2 is written for what a format-1 reader would silently score differently: an ensemble, which also holds its
 * members' states as {@code member-<i>/model.bin} and {@code member-<i>/scorer.bin} ({@code i} from 1) and its score
 * calibrations in the manifest, and a detector with test-time shifts; libraries that read only format 1 refuse it with
 * a clear message.
 */
final class DetectorFile {
    static final int FORMAT = 1;
    static final int ENSEMBLE_FORMAT = 2;
    static final String MANIFEST = "detector.json";
    static final String MODEL = "model.bin";
    static final String SCORER = "scorer.bin";
    /** The largest manifest accepted: a real one is a few KB. */
    static final long MAX_MANIFEST_BYTES = 1L << 20;
    /** The largest total of the entries accepted: 1 GiB. */
    static final long MAX_PART_BYTES = 1L << 30;
    /** How many times its own size a file's entries may expand to (beyond {@link #MIN_BUDGET_BYTES}). */
    static final long MAX_INFLATION = 100;
    /** The entries of any file may expand to this much, whatever its size: 64 MiB. */
    static final long MIN_BUDGET_BYTES = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DetectorFile() {
    }

    /**
     * The JSON manifest. {@code threshold} is optional: files written before thresholds existed, or by a detector
     * without one, have no such field and load with {@code null}; it is left out when {@code null}.
     */
    record Manifest(@JsonProperty("format") int format,
                    @JsonProperty("config") DetectorConfig config,
                    @JsonProperty("provenance") Provenance provenance,
                    @JsonProperty("threshold") @JsonInclude(JsonInclude.Include.NON_NULL) Threshold threshold,
                    @JsonProperty("calibrations") @JsonInclude(JsonInclude.Include.NON_NULL)
                    List<ScoreCalibration> calibrations) {
    }

    /** An ensemble member's state entry. */
    private static final java.util.regex.Pattern MEMBER_ENTRY = java.util.regex.Pattern.compile(
            "member-[1-9][0-9]{0,3}/(" + java.util.regex.Pattern.quote(MODEL) + "|" + java.util.regex.Pattern.quote(SCORER) + ")");

    /** @return the entry holding ensemble member {@code i}'s model state (members count from 1) */
    static String memberModel(int i) {
        return "member-" + i + "/" + MODEL;
    }

    /** @return the entry holding ensemble member {@code i}'s scorer state */
    static String memberScorer(int i) {
        return "member-" + i + "/" + SCORER;
    }

    /** Writes one part of the file. */
    @FunctionalInterface
    interface PartWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * @param parts the state entries after the manifest, by entry name, in order ({@link #MODEL} and {@link #SCORER}
     *              first)
     */
    static void write(Path file, Manifest manifest, Map<String, PartWriter> parts) throws IOException {
        // all or nothing: a failed write leaves the previous detector and no temporary file
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(JSON.writeValueAsBytes(manifest));
            zip.closeEntry();
            for (Map.Entry<String, PartWriter> part : parts.entrySet()) {
                zip.putNextEntry(new ZipEntry(part.getKey()));
                part.getValue().write(zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** The parts of a detector file, read into memory: the manifest and every entry by name. */
    record Parts(Manifest manifest, Map<String, byte[]> entries) {
        byte[] model() {
            return entries.get(MODEL);
        }

        byte[] scorer() {
            return entries.get(SCORER);
        }

        /**
         * @param name an entry that must be there
         * @return its bytes
         * @throws IOException naming the missing entry
         */
        byte[] require(Path file, String name) throws IOException {
            byte[] b = entries.get(name);
            if (b == null) {
                throw corrupt(file, "missing entry " + name);
            }
            return b;
        }
    }

    static Parts read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("detector file not found: " + file);
        }
        Map<String, byte[]> entries = new HashMap<>();
        // nothing is extracted to disk and nothing is deserialised as Java objects: a detector file from elsewhere
        // can make this method fail, never write files or run code; sizes are capped while reading (a zip bomb
        // declares small sizes or none, so the cap counts the bytes actually inflated)
        long total = 0;
        // real states compress poorly (float weights), so an inflation far beyond the file's own size is a bomb
        long budget = Math.min(MAX_PART_BYTES, Math.max(MIN_BUDGET_BYTES, MAX_INFLATION * Files.size(file)));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                boolean known = name.equals(MANIFEST) || name.equals(MODEL) || name.equals(SCORER)
                        || MEMBER_ENTRY.matcher(name).matches();
                if (!known) {
                    // a later format's extra entry: skipped, but its bytes still count towards the total
                    total += drain(zip, budget - total, file, name);
                    continue;
                }
                if (entries.containsKey(name)) {
                    throw corrupt(file, "entry " + name + " appears twice");
                }
                long limit = name.equals(MANIFEST) ? MAX_MANIFEST_BYTES : budget - total;
                if (e.getSize() > limit) {
                    throw corrupt(file, "entry " + name + " declares " + e.getSize() + " bytes, more than the limit of "
                            + limit);
                }
                byte[] bytes = readAtMost(zip, limit, file, name);
                total += bytes.length;
                if (total > budget) {
                    throw corrupt(file, "its entries expand to more than " + budget + " bytes");
                }
                entries.put(name, bytes);
            }
        } catch (ZipException e) {
            throw corrupt(file, e.getMessage());
        } catch (EOFException e) {
            throw corrupt(file, "the file is truncated (it ends inside an entry; was it copied completely?)");
        }
        for (String name : new String[] {MANIFEST, MODEL, SCORER}) {
            if (!entries.containsKey(name)) {
                throw corrupt(file, "missing entry " + name);
            }
        }
        Manifest m;
        try {
            m = JSON.readValue(entries.get(MANIFEST), Manifest.class);
        } catch (IOException e) {
            throw corrupt(file, "unreadable " + MANIFEST + ": " + e.getMessage());
        }
        if (m.format() > ENSEMBLE_FORMAT || m.format() < 1) {
            throw new IOException("detector file " + file + " has format " + m.format()
                    + ", this library reads formats 1 to " + ENSEMBLE_FORMAT + " (incompatible version; retrain or upgrade)");
        }
        if (m.config() == null) {
            throw corrupt(file, MANIFEST + " has no config");
        }
        if (m.config().isEnsemble() && (m.calibrations() == null
                || m.calibrations().size() != m.config().members().size() + 1)) {
            throw corrupt(file, "an ensemble of " + (m.config().members().size() + 1) + " detectors needs as many score"
                    + " calibrations in " + MANIFEST);
        }
        return new Parts(m, entries);
    }

    private static long drain(InputStream in, long limit, Path file, String name) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
            read += r;
            if (read > limit) {
                throw corrupt(file, "its entries expand to more than the limit (at " + name + ")");
            }
        }
        return read;
    }

    private static byte[] readAtMost(InputStream in, long limit, Path file, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
            read += r;
            if (read > limit) {
                throw corrupt(file, "entry " + name + " expands to more than " + limit + " bytes (a zip bomb?"
                        + " entries may expand to at most " + MAX_INFLATION + " times the file's size)");
            }
            out.write(buffer, 0, r);
        }
        return out.toByteArray();
    }

    static IOException corrupt(Path file, String why) {
        return new IOException("not a valid detector file: " + file + " (" + why
                + "; expected a zip with " + MANIFEST + ", " + MODEL + ", " + SCORER + ")");
    }
}
