package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.PatientIds;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.dicom.DicomFolderLayout;
import io.github.deepc.anomaly.dicom.DicomImageReader;
import io.github.deepc.anomaly.dicom.DicomWriter;
import io.github.deepc.anomaly.dicom.TransferSyntax;
import io.github.deepc.anomaly.eval.split.DataSplit;
import io.github.deepc.anomaly.eval.split.SplitName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts part of the shared chest and hand radiographs into DICOM of several kinds (MONOCHROME1 with a rescale,
 * 12 bits in 16 with junk in the unused bits, lossless JPEG by dcmtk, implicit VR without preamble), with patient
 * tags and PACS-style file names, then trains and scores through the API and the CLI: every score equals the
 * score of the same pixels read from the original files, and patients come from the tags.
 * Skipped with a message where {@code ../shared/data} is absent.
 */
class DicomEndToEndTest {
    private static final Path SHARED = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"));
    private static final String NAME = "DOE^JANE";

    @TempDir
    static Path work;
    static Path pngRoot;
    static Path dcmRoot;
    static Path labels;
    /** DICOM file -> original file. */
    static final Map<Path, Path> ORIGINAL = new HashMap<>();
    static final Map<String, Integer> KINDS = new HashMap<>();

    @BeforeAll
    static void convert() throws IOException, InterruptedException {
        Path chest = SHARED.resolve("data/chest-xray/train");
        Path hand = SHARED.resolve("data/hand-xray");
        Assumptions.assumeTrue(Files.isDirectory(chest) && Files.isDirectory(hand), "real data not found at "
                + SHARED.toAbsolutePath() + " (set -Danomaly.shared.dir); skipping the DICOM end-to-end test");
        pngRoot = work.resolve("png");
        copy(chest.resolve("NORMAL"), pngRoot.resolve("NORMAL"), 10);
        copy(hand.resolve("NORMAL"), pngRoot.resolve("NORMAL"), 8);
        copy(chest.resolve("PNEUMONIA"), pngRoot.resolve("ABNORMAL"), 6);
        copy(hand.resolve("FRACTURED"), pngRoot.resolve("ABNORMAL"), 4);
        DataSet png = ClassFolderLayout.withNormalClass("NORMAL").load(pngRoot);
        dcmRoot = work.resolve("pacs-export");
        labels = work.resolve("labels.csv");
        boolean dcmtk = onPath("dcmcjpeg");
        StringBuilder csv = new StringBuilder("sop,label\n");
        int i = 0;
        for (Sample s : png.samples()) {
            String sop = "1.2.826.0.1.3680043.10.1471.9." + i;
            // PACS-style: numbered folders, no extensions; sorted like the originals so training order matches
            Path out = dcmRoot.resolve(String.format("%05d/%s", i, Integer.toHexString(31 * i + 7)));
            Files.createDirectories(out.getParent());
            int kind = i % 4 == 2 && !dcmtk ? 3 : i % 4;
            write(s, out, sop, kind);
            ORIGINAL.put(out, s.path());
            KINDS.merge("kind" + kind, 1, Integer::sum);
            csv.append(sop).append(',').append(s.className()).append('\n');
            i++;
        }
        Files.writeString(labels, csv);
        if (!dcmtk) {
            System.out.println("dcmtk's dcmcjpeg is not installed: lossless JPEG files are replaced by implicit VR ones");
        }
    }

    private static void copy(Path from, Path to, int n) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.sorted().limit(n).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void write(Sample s, Path out, String sop, int kind) throws IOException, InterruptedException {
        GrayImage img = ImageDecoders.decode(s.path());
        float[] p = img.unsafePixels();
        int[] stored = new int[p.length];
        boolean chest = !s.path().getFileName().toString().startsWith("IMG"); // FracAtlas hands: IMG0000019.jpg
        DicomWriter w = DicomWriter.create().text(0x00100010, "PN", NAME)
                .identity(PatientIds.fromFileName(s.path().getFileName().toString()), "1.2.3." + sop.hashCode(), sop,
                        chest ? "DX" : "CR", chest ? "CHEST" : "HAND", "PA");
        switch (kind) {
            case 0 -> { // MONOCHROME1, 12 bits, rescale: stored 3071 - p, modality 2047 - p, inverted back to p
                for (int k = 0; k < p.length; k++) {
                    stored[k] = 3071 - (int) p[k];
                }
                w.bits(16, 12, false).photometric("MONOCHROME1").rescale(1, -1024);
            }
            case 1 -> { // 12 bits in 16 with junk above bit 11 (overlay bits in old files)
                for (int k = 0; k < p.length; k++) {
                    stored[k] = (int) p[k] | ((k % 7) << 12);
                }
                w.bits(16, 12, false);
            }
            case 2 -> { // 8 bits, converted to lossless JPEG below
                for (int k = 0; k < p.length; k++) {
                    stored[k] = (int) p[k];
                }
                w.bits(8, 8, false);
            }
            default -> { // implicit VR little endian, no preamble
                for (int k = 0; k < p.length; k++) {
                    stored[k] = (int) p[k];
                }
                w.bits(8, 8, false).transferSyntax(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).preamble(false);
            }
        }
        if (kind != 2) {
            w.write(out, img.width(), img.height(), stored);
            return;
        }
        Path raw = out.resolveSibling("raw.tmp");
        w.write(raw, img.width(), img.height(), stored);
        Process proc = new ProcessBuilder("dcmcjpeg", "+e1", raw.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS) && proc.exitValue() == 0, "dcmcjpeg failed: " + log);
        Files.delete(raw);
        assertEquals("1.2.840.10008.1.2.4.70", DicomImageReader.readHeader(out).transferSyntaxUid());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static DataSet dicomData(boolean pseudonyms) {
        return DicomFolderLayout.builder("NORMAL").labels(labels)
                .pseudonymizer(pseudonyms ? io.github.deepc.anomaly.dicom.Pseudonymizer.withSalt(new byte[16]) : null)
                .build().load(dcmRoot).dataSet();
    }

    @Test
    void everyKindDecodesToTheOriginalPixels() throws IOException {
        assertEquals(28, ORIGINAL.size());
        for (Map.Entry<Path, Path> e : ORIGINAL.entrySet()) {
            assertArrayEquals(ImageDecoders.decode(e.getValue()).unsafePixels(), ImageDecoders.decode(e.getKey()).unsafePixels(),
                    e.getKey() + " vs " + e.getValue());
        }
        System.out.println("DICOM kinds written: " + KINDS);
    }

    @Test
    void apiScoresEqualThoseOfTheOriginalsAndPatientsComeFromTags() throws IOException {
        DataSet png = ClassFolderLayout.withNormalClass("NORMAL").load(pngRoot);
        DataSet dcm = dicomData(false);
        assertEquals(png.size(), dcm.size());
        assertEquals(png.normals().size(), dcm.normals().size());
        Map<Path, Sample> pngByPath = png.samples().stream().collect(Collectors.toMap(Sample::path, s -> s));
        for (Sample d : dcm.samples()) {
            Sample o = pngByPath.get(ORIGINAL.get(d.path()));
            assertEquals(o.label(), d.label(), d.id());
            assertEquals(o.patientId(), d.patientId(), "patient from the Patient ID tag: " + d.id());
        }
        Map<Path, Double> pngScores = scores(png);
        Map<Path, Double> dcmScores = scores(dcm);
        for (Map.Entry<Path, Double> e : dcmScores.entrySet()) {
            assertEquals(pngScores.get(ORIGINAL.get(e.getKey())), e.getValue(), 0.0, e.getKey().toString());
        }
        // the research protocol's patient-grouped split is the same on the tags as on the original file names
        DataSplit fromNames = DataSplit.research(png.samples(), 0.7, 0.5, 42);
        DataSplit fromTags = DataSplit.research(dcm.samples(), 0.7, 0.5, 42);
        Map<Path, SplitName> expected = fromNames.assignments().stream()
                .collect(Collectors.toMap(x -> x.sample().path(), DataSplit.Assignment::split));
        for (DataSplit.Assignment x : fromTags.assignments()) {
            assertEquals(expected.get(ORIGINAL.get(x.sample().path())), x.split(), x.sample().id());
        }
        // patient grouping: person1000's two pneumonia images share one (pseudonymous) patient
        Map<String, Long> perPatient = dicomData(true).samples().stream()
                .collect(Collectors.groupingBy(Sample::patientId, Collectors.counting()));
        assertTrue(perPatient.values().stream().anyMatch(n -> n > 1), perPatient.toString());
        assertTrue(perPatient.keySet().stream().allMatch(k -> k.startsWith("anon-")), perPatient.toString());
    }

    private static Map<Path, Double> scores(DataSet ds) {
        try (AnomalyDetector d = AnomalyDetector.builder().seed(11).build()) {
            d.fit(ds.normals(), ProgressListener.NONE);
            BatchResult<Detection> r = d.scoreAll(ds.samples(), ProgressListener.NONE);
            assertTrue(r.failures().isEmpty(), r.failures().toString());
            Map<Path, Double> out = new HashMap<>();
            for (Detection det : r.results()) {
                out.put(det.sample().path(), det.score());
            }
            return out;
        }
    }

    @Test
    void cliTrainsAndScoresDicomLikeTheOriginalsWithoutLeakingNames() throws IOException {
        Path salt = work.resolve("salt");
        CliRun.Result a = CliRun.run("train", "--data", pngRoot.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--out", work.resolve("png.detector").toString(), "--json");
        assertEquals(0, a.code(), a.err());
        CliRun.Result b = CliRun.run("train", "--data", dcmRoot.toString(), "--labels", labels.toString(), "--normal-class",
                "NORMAL", "--size", "32", "--out", work.resolve("dcm.detector").toString(), "--json", "--salt-file", salt.toString());
        assertEquals(0, b.code(), b.err());
        CliRun.Result sa = CliRun.run("score", "--detector", work.resolve("png.detector").toString(), "--data", pngRoot.toString(),
                "--out", work.resolve("png.csv").toString(), "--json");
        assertEquals(0, sa.code(), sa.err());
        CliRun.Result sb = CliRun.run("score", "--detector", work.resolve("dcm.detector").toString(), "--data", dcmRoot.toString(),
                "--labels", labels.toString(), "--out", work.resolve("dcm.csv").toString(), "--json", "--salt-file", salt.toString());
        assertEquals(0, sb.code(), sb.err());
        CliRun.Result sc = CliRun.run("score", "--detector", work.resolve("dcm.detector").toString(), "--data", dcmRoot.toString(),
                "--labels", labels.toString(), "--out", work.resolve("dcm-ids.csv").toString(), "--reveal-patient-ids", "--json");
        assertEquals(0, sc.code(), sc.err());

        Map<String, String[]> pngRows = rows(work.resolve("png.csv"));
        Map<String, String[]> dcmRows = rows(work.resolve("dcm.csv"));
        Map<String, String[]> idRows = rows(work.resolve("dcm-ids.csv"));
        assertEquals(28, dcmRows.size());
        for (Map.Entry<String, String[]> e : dcmRows.entrySet()) {
            String[] o = pngRows.get(ORIGINAL.get(Path.of(e.getKey())).toString());
            assertEquals(Double.parseDouble(o[3]), Double.parseDouble(e.getValue()[3]), 0.0, e.getKey());
            assertEquals(o[2], e.getValue()[2], "label of " + e.getKey());
            assertTrue(e.getValue()[1].matches("anon-[0-9a-f]{16}"), "pseudonym expected: " + e.getValue()[1]);
            assertEquals(o[1], idRows.get(e.getKey())[1], "--reveal-patient-ids writes the Patient ID tag");
        }
        // same patients, same pseudonyms: the grouping survives
        Map<String, String> pseudonymOf = new HashMap<>();
        for (Map.Entry<String, String[]> e : dcmRows.entrySet()) {
            String real = idRows.get(e.getKey())[1];
            String previous = pseudonymOf.putIfAbsent(real, e.getValue()[1]);
            assertTrue(previous == null || previous.equals(e.getValue()[1]));
        }
        assertTrue(pseudonymOf.size() < dcmRows.size(), "some patients have several images");
        String everything = Files.readString(work.resolve("dcm.csv")) + Files.readString(work.resolve("dcm-ids.csv"))
                + b.out() + b.err() + sb.out() + sb.err() + sc.out() + sc.err();
        assertFalse(everything.contains("DOE"), "a patient name leaked");

        CliRun.Result hands = CliRun.run("score", "--detector", work.resolve("dcm.detector").toString(), "--data",
                dcmRoot.toString(), "--body-part", "HAND", "--modality", "CR", "--view-position", "PA", "--out",
                work.resolve("hands.csv").toString(), "--json", "--salt-file", salt.toString());
        assertEquals(0, hands.code(), hands.err());
        assertEquals(12, rows(work.resolve("hands.csv")).size());
    }

    @Test
    void preprocessWithPseudonymizeNamesOutputsByPseudonyms() throws IOException {
        Path out = work.resolve("preprocessed");
        CliRun.Result r = CliRun.run("preprocess", "--data", dcmRoot.toString(), "--labels", labels.toString(), "--limit", "3",
                "--size", "32", "--sheet", "0", "--out", out.toString(), "--pseudonymize", "--salt-file",
                work.resolve("salt").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        List<String> names;
        try (Stream<Path> s = Files.walk(out)) {
            names = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
        }
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.stream().allMatch(n -> n.matches("anon-[0-9a-f]{16}\\.png")), names.toString());
        assertFalse((r.out() + r.err()).contains("DOE"));
    }

    /** path -> {path, patient, label, score}, by the header's column names. */
    private static Map<String, String[]> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int path = header.indexOf("path");
        int patient = header.indexOf("patient");
        int label = header.indexOf("label");
        int score = header.indexOf("score");
        Map<String, String[]> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            out.put(f[path], new String[] {f[path], f[patient], f[label], f[score]});
        }
        return out;
    }
}
