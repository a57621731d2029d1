package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads pydicom's own test corpus (Debian's python3-pydicom ships it) and compares every pixel with what
 * pydicom decodes: {@code apply_modality_lut(pixel_array)} exactly, {@code apply_voi_lut} of it where the file
 * has a window or VOI LUT. Files pydicom cannot decode must either decode here or fail with a message naming
 * the file. Skipped with a message when python3 with pydicom and numpy is absent.
 */
class PydicomConformanceTest {
    /** Transfer syntaxes without a maintained Java decoder on Maven Central: a clear error is the expected result. */
    private static final Set<String> REFUSED_SYNTAXES = Set.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91");

    @TempDir
    static Path dump;
    static JsonNode manifest;

    @BeforeAll
    static void dumpPydicomArrays() throws IOException {
        String python = ExternalTools.pythonWithPydicom().orElse(null);
        Assumptions.assumeTrue(python != null,
                "python3 with pydicom and numpy is not installed (Debian: python3-pydicom python3-numpy): skipping");
        Path script = dump.resolve("pydicom_dump.py");
        try (InputStream in = PydicomConformanceTest.class.getResourceAsStream("/conformance/pydicom_dump.py")) {
            Files.copy(in, script);
        }
        ExternalTools.runOrFail(dump, python, script.toString(), dump.resolve("out").toString());
        manifest = new ObjectMapper().readTree(dump.resolve("out/manifest.json").toFile());
    }

    @Test
    void monochromePixelsEqualPydicomExactly() throws IOException {
        List<String> matched = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        int voiCompared = 0;
        for (JsonNode e : manifest.get("entries")) {
            if (!e.get("status").asText().equals("ok") || !e.get("photometric").asText().startsWith("MONOCHROME")) {
                continue;
            }
            Path file = Path.of(e.get("path").asText());
            List<GrayImage> frames;
            try {
                frames = new DicomImageReader(DicomReadOptions.MODALITY_VALUES).readAllFrames(file);
            } catch (DicomFormatException ex) {
                String syntax = DicomImageReader.readHeader(file).transferSyntaxUid();
                assertTrue(REFUSED_SYNTAXES.contains(syntax), file + " failed although pydicom decodes it: " + ex);
                assertTrue(ex.getMessage().contains(file.toString()) && ex.getMessage().contains(syntax), ex.getMessage());
                refused.add(file.getFileName().toString());
                continue;
            }
            double[] expected = read(e.get("id").asInt() + ".modality.f64");
            String diff = compare(frames, expected, e, 0);
            if (diff != null) {
                mismatches.add(file + ": modality values " + diff);
            }
            if (e.path("voi").asBoolean(false)) {
                List<GrayImage> windowed = new DicomImageReader(new DicomReadOptions(true, false)).readAllFrames(file);
                String voiDiff = compare(windowed, read(e.get("id").asInt() + ".voi.f64"), e, 1e-9);
                if (voiDiff != null) {
                    mismatches.add(file + ": VOI values " + voiDiff);
                }
                voiCompared++;
            }
            matched.add(file.getFileName().toString());
        }
        System.out.printf("pydicom %s: %d monochrome files equal (%d also windowed), %d refused (JPEG-LS/JPEG 2000): %s%n",
                manifest.get("pydicom").asText(), matched.size(), voiCompared, refused.size(), refused);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " file(s) differ from pydicom:\n" + String.join("\n", mismatches));
        }
        assertTrue(matched.size() >= 40, "expected the corpus's 40+ decodable monochrome files, matched " + matched);
        assertTrue(voiCompared >= 30, "windowed files compared: " + voiCompared);
    }

    @Test
    void colourFilesDecodeToTheLumaOfPydicomsColours() throws IOException {
        int decoded = 0;
        List<String> mismatches = new ArrayList<>();
        for (JsonNode e : manifest.get("entries")) {
            if (!e.get("status").asText().equals("ok") || e.get("photometric").asText().startsWith("MONOCHROME")) {
                continue;
            }
            Path file = Path.of(e.get("path").asText());
            try {
                List<GrayImage> frames = new DicomImageReader(DicomReadOptions.DEFAULT).readAllFrames(file);
                assertEquals(e.get("frames").asInt(), frames.size(), file.toString());
                assertEquals(e.get("columns").asInt(), frames.get(0).width(), file.toString());
                assertEquals(e.get("rows").asInt(), frames.get(0).height(), file.toString());
                // lossy JPEG: the JDK's libjpeg and Pillow's may round the colour transform differently
                String syntax = DicomImageReader.readHeader(file).transferSyntaxUid();
                boolean lossy = syntax.equals("1.2.840.10008.1.2.4.50") || syntax.equals("1.2.840.10008.1.2.4.51");
                String diff = compare(frames, read(e.get("id").asInt() + ".grey.f64"), e, lossy ? 0.02 : 1e-6);
                if (diff != null) {
                    mismatches.add(file + " (" + syntax + ", " + e.get("photometric").asText() + "): " + diff);
                }
                decoded++;
            } catch (DicomFormatException ex) {
                String syntax = DicomImageReader.readHeader(file).transferSyntaxUid();
                if (!REFUSED_SYNTAXES.contains(syntax)) {
                    mismatches.add(file + " failed although pydicom decodes it: " + ex.getMessage());
                }
            }
        }
        System.out.printf("colour files: %d decoded, grey equal to pydicom's luma%n", decoded);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " colour file(s) differ from pydicom:\n" + String.join("\n", mismatches));
        }
        assertTrue(decoded >= 20, "colour files decoded: " + decoded);
    }

    @Test
    void filesPydicomCannotDecodeGiveAnErrorNamingTheFile() throws IOException {
        int errors = 0;
        int decodedHere = 0;
        List<String> gdcmChecked = new ArrayList<>();
        for (JsonNode e : manifest.get("entries")) {
            if (!e.get("status").asText().equals("error")) {
                continue;
            }
            Path file = Path.of(e.get("path").asText());
            try {
                List<GrayImage> ours = new DicomImageReader(DicomReadOptions.DEFAULT).readAllFrames(file);
                decodedHere++; // e.g. lossless JPEG: pydicom lacks a handler here, TwelveMonkeys has one
                if (ExternalTools.onPath("gdcmconv")) {
                    // check against gdcm's decoding instead: its uncompressed copy must read the same
                    Path raw = dump.resolve("raw-" + file.getFileName());
                    ExternalTools.runOrFail(dump, "gdcmconv", "--raw", file.toString(), raw.toString());
                    List<GrayImage> viaGdcm = new DicomImageReader(DicomReadOptions.DEFAULT).readAllFrames(raw);
                    assertEquals(viaGdcm, ours, file + " differs from gdcm's uncompressed copy");
                    gdcmChecked.add(file.getFileName().toString());
                }
            } catch (DicomFormatException ex) {
                assertTrue(ex.getMessage().contains(file.toString()), "message does not name the file: " + ex.getMessage());
                errors++;
            }
        }
        System.out.printf("files pydicom cannot decode: %d refused with a message, %d decoded here (equal to gdcm's"
                + " decoding: %s)%n", errors, decodedHere, gdcmChecked);
        assertTrue(errors >= 3, "truncated/bad files must fail: " + errors);
    }

    @Test
    void filesWithoutPreambleOrMetaInformationAreRecognisedByContent() throws IOException {
        Path corpus = Path.of(manifest.get("corpus").asText());
        for (String name : List.of("ExplVR_BigEndNoMeta.dcm", "ExplVR_LitEndNoMeta.dcm")) {
            Path f = corpus.resolve(name);
            assertTrue(DicomImageReader.isDicom(f), name);
            DicomHeader h = DicomImageReader.readHeader(f);
            assertEquals("1.2.840.10008.5.1.4.1.1.481.8", h.sopClassUid(), name); // an RT plan: no image
            assertThrows(NotAnImageException.class, () -> new DicomImageReader(DicomReadOptions.DEFAULT).readFirstFrame(f));
        }
        assertEquals("1.2.840.10008.1.2.2", DicomImageReader.readHeader(corpus.resolve("ExplVR_BigEndNoMeta.dcm"))
                .transferSyntaxUid());
    }

    private static String compare(List<GrayImage> frames, double[] expected, JsonNode e, double relTol) {
        int n = e.get("rows").asInt() * e.get("columns").asInt();
        if (frames.size() * n != expected.length) {
            return "frames " + frames.size() + " x " + n + " pixels, pydicom " + expected.length + " values";
        }
        int bad = 0;
        String first = null;
        for (int f = 0; f < frames.size(); f++) {
            float[] px = frames.get(f).unsafePixels();
            for (int i = 0; i < n; i++) {
                double want = expected[f * n + i];
                boolean ok = relTol == 0 ? px[i] == (float) want
                        : Math.abs(px[i] - want) <= relTol * Math.max(1, Math.abs(want)) + Math.ulp((float) want);
                if (!ok) {
                    if (first == null) {
                        first = "frame " + f + " pixel " + i + ": " + px[i] + " vs pydicom " + want;
                    }
                    bad++;
                }
            }
        }
        return bad == 0 ? null : bad + " pixels differ, first " + first;
    }

    private static double[] read(String name) throws IOException {
        byte[] b = Files.readAllBytes(dump.resolve("out").resolve(name));
        double[] v = new double[b.length / 8];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }
}
