package io.github.deepc.anomaly.models.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.PhantomHeat;
import io.github.deepc.anomaly.models.score.map.AnomalyMapReduction;
import io.github.deepc.anomaly.models.score.map.AnomalyMapScorer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The patch memory bank on generated hand phantoms: heat where the anomalies are, deterministic, reloadable. */
class PatchMemoryModelTest {
    private static final int SIZE = 64;
    private static final PatchMemoryModel.Settings SMALL = new PatchMemoryModel.Settings(8, 4, 2, 12, 1024, 20_000);

    @Test
    void heatConcentratesInsideThePhantomsAnomaliesAndAbnormalPhantomsScoreHigher() {
        HandPhantomGenerator gen = HandPhantomGenerator.ofSize(SIZE);
        List<GrayImage> normals = gen.normals(1_000, 60).stream().map(Phantom::image).toList();
        List<Phantom> abnormals = gen.abnormals(5_000, 20);
        List<Phantom> heldOut = gen.normals(9_000, 20);
        try (PatchMemoryModel m = new PatchMemoryModel(SMALL)) {
            m.fit(normals, new TrainingContext(7, ProgressListener.NONE));
            List<ModelOutput> out = m.infer(abnormals.stream().map(Phantom::image).toList());
            AnomalyMapScorer max = new AnomalyMapScorer(AnomalyMapReduction.MAX, 0.01);
            double ratio = PhantomHeat.insideOutsideRatio(abnormals, out, max);
            double[] ab = out.stream().mapToDouble(o -> max.score(o).value()).toArray();
            double[] no = m.infer(heldOut.stream().map(Phantom::image).toList()).stream()
                    .mapToDouble(o -> max.score(o).value()).toArray();
            double auc = PhantomHeat.auc(no, ab);
            System.out.printf(Locale.ROOT, "patch-memory on phantoms: heat inside/outside %.2f, ROC-AUC %.3f%n", ratio, auc);
            assertTrue(ratio > 1.5, "mean heat inside the anomaly masks / outside: " + ratio);
            // measured 0.62: the phantoms' lesions are faint at 64 px; the heat ratio above is the sharper check
            assertTrue(auc > 0.55, "abnormal phantoms should score above held-out normal ones more often than not: " + auc);
        }
    }

    @Test
    void sameSeedSameMapsAndStateRoundTripsBitForBit() throws IOException {
        HandPhantomGenerator gen = HandPhantomGenerator.ofSize(SIZE);
        List<GrayImage> normals = gen.normals(11, 12).stream().map(Phantom::image).toList();
        List<GrayImage> probe = gen.abnormals(12, 3).stream().map(Phantom::image).toList();
        try (PatchMemoryModel a = new PatchMemoryModel(SMALL); PatchMemoryModel b = new PatchMemoryModel(SMALL);
             PatchMemoryModel c = new PatchMemoryModel(SMALL)) {
            a.fit(normals, new TrainingContext(3, ProgressListener.NONE));
            b.fit(normals, new TrainingContext(3, ProgressListener.NONE));
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            a.writeState(state);
            c.readState(new ByteArrayInputStream(state.toByteArray()));
            List<ModelOutput> oa = a.infer(probe);
            List<ModelOutput> ob = b.infer(probe);
            List<ModelOutput> oc = c.infer(probe);
            for (int i = 0; i < probe.size(); i++) {
                assertArrayEquals(oa.get(i).anomalyMap(), ob.get(i).anomalyMap());
                assertArrayEquals(oa.get(i).anomalyMap(), oc.get(i).anomalyMap());
            }
            // one image alone gets the same map as in a batch
            assertArrayEquals(oa.get(1).anomalyMap(), a.infer(List.of(probe.get(1))).get(0).anomalyMap());
            byte[] truncated = Arrays.copyOf(state.toByteArray(), state.size() / 2);
            assertThrows(IOException.class, () -> new PatchMemoryModel(SMALL).readState(new ByteArrayInputStream(truncated)));
            PatchMemoryModel other = new PatchMemoryModel(new PatchMemoryModel.Settings(8, 4, 1, 12, 1024, 20_000));
            IOException e = assertThrows(IOException.class, () -> other.readState(new ByteArrayInputStream(state.toByteArray())));
            assertTrue(e.getMessage().contains("written with"), e.getMessage());
        }
    }

    @Test
    void badInputIsRefusedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PatchMemoryModel.Settings(4, 2, 1, 17, 10, 10));
        assertTrue(e.getMessage().contains("patch-memory.components"), e.getMessage());
        try (PatchMemoryModel m = new PatchMemoryModel(new PatchMemoryModel.Settings(8, 4, 4, 8, 10, 10))) {
            GrayImage small = GrayImage.filled(32, 32, 0.5f);
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(List.of(small, small), new TrainingContext(1, ProgressListener.NONE)));
            assertTrue(e.getMessage().contains("smaller than one 8x8 patch"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.infer(List.of(small)));
        }
    }
}
