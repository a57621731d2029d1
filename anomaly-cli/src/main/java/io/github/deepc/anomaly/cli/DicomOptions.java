package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.ItemFailure;
import io.github.deepc.anomaly.dicom.DicomFolderLayout;
import io.github.deepc.anomaly.dicom.DicomImageReader;
import io.github.deepc.anomaly.dicom.Pseudonymizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * DICOM input and patient-id privacy options shared by {@code train}, {@code score} and {@code preprocess}: which
 * loader reads {@code --data}, the DICOM filters and labels, and whether patient ids are replaced by salted
 * pseudonyms (always for DICOM data unless {@code --reveal-patient-ids}; for other data with {@code --pseudonymize}).
 */
final class DicomOptions {
    /** How many files to sniff when deciding whether a folder without PNG/JPEG/TIFF images holds DICOM. */
    private static final int SNIFF_LIMIT = 1000;

    @Option(names = "--dicom", description = "Read --data as DICOM: every file whose content is DICOM (any name), or the"
            + " files its DICOMDIR lists; patients from the Patient ID tag. Automatic when the folder has a DICOMDIR, or"
            + " DICOM files and no PNG/JPEG/TIFF images.")
    boolean dicom;

    @Option(names = "--labels", paramLabel = "CSV", description = "DICOM labels: 'path or SOP instance UID,label' rows (label 0,"
            + " normal or the normal class name for normal images; anything else is abnormal). Default: class folders.")
    Path labels;

    @Option(names = "--modality", split = ",", paramLabel = "M", description = "DICOM: keep only these Modality values, e.g. CR,DX.")
    List<String> modalities = new ArrayList<>();

    @Option(names = "--body-part", split = ",", paramLabel = "PART", description = "DICOM: keep only these Body Part Examined values, e.g. HAND.")
    List<String> bodyParts = new ArrayList<>();

    @Option(names = "--view-position", split = ",", paramLabel = "VIEW", description = "DICOM: keep only these View Position values, e.g. PA.")
    List<String> viewPositions = new ArrayList<>();

    @Option(names = "--all-frames", description = "DICOM: every frame of a multi-frame file is an image (FILE#frameN);"
            + " default: its first frame.")
    boolean allFrames;

    @Option(names = "--dicom-window", paramLabel = "voi|full", description = "DICOM grey values: 'voi' applies the file's VOI LUT or"
            + " window when it has one, 'full' keeps the full range (default: ${DEFAULT-VALUE}). Use the same value for train and score.",
            defaultValue = "voi")
    String window;

    @Option(names = "--pseudonymize", description = "Replace patient ids (and, for preprocess, output file names) with salted"
            + " pseudonyms; always on for DICOM data unless --reveal-patient-ids.")
    boolean pseudonymize;

    @Option(names = "--reveal-patient-ids", description = "DICOM: write the real Patient IDs instead of pseudonyms.")
    boolean revealPatientIds;

    @Option(names = "--salt-file", paramLabel = "FILE", description = "Secret salt of the pseudonyms, created on first use"
            + " (default: ~/.config/xray-anomaly/pseudonym-salt). Keep it: the same salt gives the same pseudonyms.")
    Path saltFile;

    /**
     * Loads {@code data} with the DICOM loader or the standard one.
     *
     * @param data        the data folder
     * @param normalClass the normal class
     * @param err         where skipped objects and unreadable files are reported
     * @return the data set
     * @throws IOException when the pseudonym salt cannot be read or created
     */
    DataSet load(Path data, String normalClass, PrintWriter err) throws IOException {
        applyWindow();
        if (revealPatientIds && pseudonymize) {
            throw new IllegalArgumentException("--pseudonymize and --reveal-patient-ids exclude each other");
        }
        DataSet standard = dicomRequested() ? null : DataSets.detect(data, normalClass);
        if (standard != null && !(standard.size() == 0 && holdsDicom(data))) {
            return pseudonymize ? pseudonymized(standard, pseudonymizer()) : standard;
        }
        DicomFolderLayout layout = DicomFolderLayout.builder(normalClass).labels(labels)
                .modalities(Set.copyOf(modalities)).bodyParts(Set.copyOf(bodyParts))
                .viewPositions(Set.copyOf(viewPositions)).allFrames(allFrames)
                .pseudonymizer(revealPatientIds ? null : pseudonymizer()).build();
        DicomFolderLayout.Result r = layout.load(data);
        if (!r.skipped().isEmpty()) {
            err.printf("skipped %d DICOM object(s) without an image (reports, presentation states...)%n", r.skipped().size());
        }
        for (ItemFailure f : r.failures()) {
            err.println("failed: " + f.item() + ": " + f.reason());
        }
        if (r.filteredOut() > 0) {
            err.printf("%d DICOM image(s) left out by --modality/--body-part/--view-position%n", r.filteredOut());
        }
        return r.dataSet();
    }

    /** @return whether the options name the DICOM loader or the folder has a DICOMDIR */
    boolean dicomRequested() {
        return dicom || allFrames || labels != null || !modalities.isEmpty() || !bodyParts.isEmpty() || !viewPositions.isEmpty();
    }

    /** @return a pseudonymizer for output file names when {@code --pseudonymize} is set, else null */
    Pseudonymizer outputNamePseudonymizer() throws IOException {
        return pseudonymize ? pseudonymizer() : null;
    }

    private Pseudonymizer pseudonymizer() throws IOException {
        return Pseudonymizer.fromSaltFile(saltFile == null ? Pseudonymizer.defaultSaltFile() : saltFile);
    }

    /** The CLI (an application, not the library) chooses the DICOM decoder's grey values for this process. */
    private void applyWindow() {
        if (!window.equals("voi") && !window.equals("full")) {
            throw new IllegalArgumentException("--dicom-window must be voi or full, got '" + window + "'");
        }
        System.setProperty("anomaly.dicom.window", window);
    }

    static DataSet pseudonymized(DataSet ds, Pseudonymizer p) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : ds.samples()) {
            out.add(new Sample(s.id(), s.path(), p.pseudonym(s.patientId()), s.className(), s.label()));
        }
        return new DataSet(ds.root(), out);
    }

    private static boolean holdsDicom(Path data) {
        if (!Files.isDirectory(data)) {
            return false;
        }
        if (Files.isRegularFile(data.resolve("DICOMDIR"))) {
            return true;
        }
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(Files::isRegularFile).limit(SNIFF_LIMIT).anyMatch(p -> {
                try {
                    return DicomImageReader.isDicom(p);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + data, e);
        }
    }
}
