package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The on-disk form of a detector: one zip file holding {@code detector.json} (format version, configuration,
 * provenance, optional decision threshold), {@code model.bin} and {@code scorer.bin} (the plugins' own state formats).
 */
final class DetectorFile {
    static final int FORMAT = 1;
    static final String MANIFEST = "detector.json";
    static final String MODEL = "model.bin";
    static final String SCORER = "scorer.bin";
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
                    @JsonProperty("threshold") @JsonInclude(JsonInclude.Include.NON_NULL) Threshold threshold) {
    }

    /** Writes one part of the file. */
    @FunctionalInterface
    interface PartWriter {
        void write(OutputStream out) throws IOException;
    }

    static void write(Path file, Manifest manifest, PartWriter model, PartWriter scorer) throws IOException {
        // all or nothing: a failed write leaves the previous detector and no temporary file
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(JSON.writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(MODEL));
            model.write(zip);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(SCORER));
            scorer.write(zip);
            zip.closeEntry();
            zip.finish();
        });
    }

    /** The parts of a detector file, read into memory. */
    record Parts(Manifest manifest, byte[] model, byte[] scorer) {
    }

    static Parts read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("detector file not found: " + file);
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), readAll(zip));
            }
        } catch (ZipException e) {
            throw corrupt(file, e.getMessage());
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
        if (m.format() > FORMAT || m.format() < 1) {
            throw new IOException("detector file " + file + " has format " + m.format()
                    + ", this library reads format " + FORMAT + " (incompatible version; retrain or upgrade)");
        }
        if (m.config() == null) {
            throw corrupt(file, MANIFEST + " has no config");
        }
        return new Parts(m, entries.get(MODEL), entries.get(SCORER));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException("not a valid detector file: " + file + " (" + why
                + "; expected a zip with " + MANIFEST + ", " + MODEL + ", " + SCORER + ")");
    }
}
