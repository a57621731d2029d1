package io.github.deepc.anomaly.models.selfsup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.models.PhantomHeat;
import io.github.deepc.anomaly.models.score.map.AnomalyMapReduction;
import io.github.deepc.anomaly.models.score.map.AnomalyMapScorer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code defect-localizer} on hand phantoms: its heat maps point at the phantoms' real anomalies (which it never
 * saw: it trained on synthetic defects only), it finds held-out synthetic defects, save/load gives bit-identical
 * outputs, training is seeded, and the provider declares its outputs and parameters.
 */
class DefectLocalizerModelTest {
    private static final int SIZE = 64;
    private static final long SEED = 7;
    private static List<GrayImage> normals;
    private static List<Phantom> abnormals;
    private static List<GrayImage> heldOutNormals;
    private static DefectLocalizerModel model;
    private static TrainingSummary summary;
    private static final List<EpochReport> REPORTS = new ArrayList<>();

    static LocalizerOptions options(int epochs) {
        return new LocalizerOptions(8, 3, 3, epochs, 16, 5e-3, 0.5, EnumSet.of(DefectKind.CUT_PASTE,
                DefectKind.FOREIGN_PATCH), 0.1, 0.4, 0.02, 3.0);
    }

    @BeforeAll
    static void train() {
        HandPhantomGenerator gen = HandPhantomGenerator.ofSize(SIZE);
        normals = gen.normals(1_000, 400).stream().map(Phantom::image).toList();
        heldOutNormals = gen.normals(2_000, 40).stream().map(Phantom::image).toList();
        abnormals = gen.abnormals(5_000, 40);
        model = new DefectLocalizerModel(options(15));
        summary = model.fit(normals, new TrainingContext(SEED, new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                REPORTS.add(report);
            }
        }));
    }

    @Test
    void trainingReportsEveryEpochAndLowersTheLoss() {
        assertEquals(15, summary.epochs());
        assertEquals(400, summary.images());
        assertEquals(15, REPORTS.size());
        assertTrue(REPORTS.get(14).loss() < REPORTS.get(0).loss(), "loss " + REPORTS.get(0).loss() + " -> "
                + REPORTS.get(14).loss());
        System.out.printf(Locale.ROOT, "defect-localizer phantoms %dpx: %.1f images/s, loss %.4f -> %.4f%n", SIZE,
                summary.imagesPerSecond(), REPORTS.get(0).loss(), REPORTS.get(14).loss());
    }

    @Test
    void heatMapMassFallsInsideThePhantomAnomalies() {
        List<ModelOutput> outputs = model.infer(abnormals.stream().map(Phantom::image).toList());
        OutlierScorer scorer = new AnomalyMapScorer(AnomalyMapReduction.MAX, 0.01);
        double ratio = PhantomHeat.insideOutsideRatio(abnormals, outputs, scorer);
        double[] normalScores = model.infer(heldOutNormals).stream().mapToDouble(o -> scorer.score(o).value()).toArray();
        double[] abnormalScores = outputs.stream().mapToDouble(o -> scorer.score(o).value()).toArray();
        double auc = PhantomHeat.auc(normalScores, abnormalScores);
        System.out.printf(Locale.ROOT, "defect-localizer phantoms: heat inside/outside %.2f, ROC-AUC %.3f%n", ratio, auc);
        assertTrue(ratio > 2.5, "mean heat inside the anomaly masks / outside: " + ratio);
        assertTrue(auc > 0.58, "ROC-AUC normals vs abnormal phantoms " + auc);
    }

    /** Mann-Whitney ROC-AUC, ties counting half. */
    @Test
    void heldOutSyntheticDefectsAreFound() {
        DefectGenerator g = options(1).generator();
        List<GrayImage> defective = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        for (int i = 0; i < heldOutNormals.size(); i++) {
            Defect d = g.generate(heldOutNormals.get(i), heldOutNormals.get((i + 1) % heldOutNormals.size()), 100 + i);
            defective.add(d.image());
            masks.add(d.mask());
        }
        OutlierScorer scorer = new AnomalyMapScorer(AnomalyMapReduction.MAX, 0.01);
        double[] clean = model.infer(heldOutNormals).stream().mapToDouble(o -> scorer.score(o).value()).toArray();
        double[] changed = model.infer(defective).stream().mapToDouble(o -> scorer.score(o).value()).toArray();
        double auc = PhantomHeat.auc(clean, changed);
        System.out.printf(Locale.ROOT, "defect-localizer phantoms: held-out synthetic defects ROC-AUC %.3f%n", auc);
        assertTrue(auc > 0.68, "clean vs synthetic-defect ROC-AUC " + auc);
    }

    @Test
    void outputsAreAMapOfTheInputSizeAndPooledFeatures() {
        ModelOutput o = model.infer(List.of(abnormals.get(0).image())).get(0);
        assertEquals(Set.of(OutputKind.ANOMALY_MAP, OutputKind.LATENT), o.kinds());
        assertEquals(SIZE * SIZE, o.anomalyMap().length);
        assertEquals(32, o.latent().length, "8 << 2 channels in the last of 3 stages");
        for (float v : o.anomalyMap()) {
            assertTrue(v >= 0 && v <= 1, "probability " + v);
        }
    }

    @Test
    void saveAndLoadGiveBitIdenticalOutputs() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.writeState(bytes);
        DefectLocalizerModel again = new DefectLocalizerModel(options(15));
        again.readState(new ByteArrayInputStream(bytes.toByteArray()));
        List<GrayImage> images = abnormals.subList(0, 5).stream().map(Phantom::image).toList();
        List<ModelOutput> a = model.infer(images);
        List<ModelOutput> b = again.infer(images);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).anomalyMap(), b.get(i).anomalyMap());
            assertArrayEquals(a.get(i).latent(), b.get(i).latent());
        }
        DefectLocalizerModel other = new DefectLocalizerModel(new LocalizerOptions(16, 3, 3, 1, 16, 1e-3, 0.5,
                EnumSet.allOf(DefectKind.class), 0.03, 0.3, 0.02, 1.0));
        IOException e = assertThrows(IOException.class, () -> other.readState(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("channels 8"), e.getMessage());
        byte[] corrupt = bytes.toByteArray();
        corrupt[corrupt.length / 2] ^= 1;
        assertThrows(IOException.class, () -> again.readState(new ByteArrayInputStream(corrupt)));
    }

    @Test
    void sameSeedSameModelAndWrongInputsAreNamed() throws IOException {
        List<GrayImage> few = normals.subList(0, 24);
        byte[][] states = new byte[2][];
        for (int k = 0; k < 2; k++) {
            DefectLocalizerModel m = new DefectLocalizerModel(options(2));
            m.fit(few, new TrainingContext(3, ProgressListener.NONE));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeState(out);
            states[k] = out.toByteArray();
        }
        assertArrayEquals(states[0], states[1]);
        DefectLocalizerModel m = new DefectLocalizerModel(options(1));
        assertThrows(IllegalStateException.class, () -> m.infer(few));
        List<GrayImage> odd = List.of(GrayImage.filled(60, 60, 0.5f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(odd, new TrainingContext(1, ProgressListener.NONE)));
        assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.infer(List.of(GrayImage.filled(32, 32, 0f))));
    }

    @Test
    void nonSquareImagesKeepTheirShape() {
        List<GrayImage> wide = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            wide.add(DefectGeneratorProperties.randomImage(48, 16, i, false));
        }
        DefectLocalizerModel m = new DefectLocalizerModel(new LocalizerOptions(4, 2, 3, 1, 4, 1e-3, 0.5,
                EnumSet.allOf(DefectKind.class), 0.1, 0.4, 0.02, 1.0));
        m.fit(wide, new TrainingContext(1, ProgressListener.NONE));
        ModelOutput o = m.infer(wide.subList(0, 1)).get(0);
        assertEquals(48 * 16, o.anomalyMap().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.infer(List.of(DefectGeneratorProperties.randomImage(16, 48, 1, false))));
        assertTrue(e.getMessage().contains("48"), e.getMessage());
    }

    @Test
    void providerDeclaresOutputsAndParameters() {
        ModelProvider p = null;
        for (ModelProvider candidate : ServiceLoader.load(ModelProvider.class)) {
            if (candidate.id().equals("defect-localizer")) {
                p = candidate;
            }
        }
        assertTrue(p != null, "defect-localizer not registered");
        assertEquals(Set.of(OutputKind.ANOMALY_MAP, OutputKind.LATENT), p.outputs());
        try (AnomalyModel m = p.create(Map.of("channels", "4", "defect-kinds", "cut-paste,blur"))) {
            LocalizerOptions o = ((DefectLocalizerModel) m).options();
            assertEquals(4, o.channels());
            assertEquals(EnumSet.of(DefectKind.CUT_PASTE, DefectKind.BLUR), o.kinds());
            assertEquals(10, o.epochs());
            assertEquals(4, o.depth());
            assertEquals(0.03, o.minDefectSize());
        }
        try (AnomalyModel m = p.create(Map.of())) {
            assertEquals(EnumSet.of(DefectKind.CUT_PASTE, DefectKind.FOREIGN_PATCH),
                    ((DefectLocalizerModel) m).options().kinds());
        }
        ModelProvider provider = p;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(Map.of("defect-kinds", "scratch")));
        assertTrue(e.getMessage().contains("cut-paste"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> provider.create(Map.of("kernel", "4")));
        assertThrows(IllegalArgumentException.class,
                () -> provider.create(Map.of("min-defect-size", "0.5", "max-defect-size", "0.2")));
    }
}
