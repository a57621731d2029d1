package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.models.score.distance.DistanceScorer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.autodiff.samediff.VariableType;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeepSvddModelTest {
    private static final int SIZE = 16;
    private final List<GrayImage> train = OneClassImages.blobs(48, SIZE, 5);
    private final List<EpochReport> reports = new ArrayList<>();
    private DeepSvddModel shared;

    @BeforeAll
    void fitShared() {
        shared = new DeepSvddModel(6, 16, 1e-3, 1e-6, 8);
        shared.fit(train, new TrainingContext(42, new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                reports.add(report);
            }
        }));
    }

    @AfterAll
    void close() {
        shared.close();
    }

    @Test
    void lossDecreases() {
        assertEquals(6, reports.size());
        double first = reports.get(0).loss();
        double last = reports.get(reports.size() - 1).loss();
        assertTrue(first > 0 && Double.isFinite(first), "first epoch loss " + first);
        assertTrue(last < 0.7 * first, "loss should fall: " + first + " -> " + last);
    }

    @Test
    void centreIsFixedAfterInitialisation() {
        float[] c = shared.centre();
        for (float v : c) {
            assertTrue(Math.abs(v) >= DeepSvddModel.CENTRE_EPS - 1e-7, "centre coordinate " + v + " too close to 0");
        }
        // the centre is a constant of the reference graph, not a trained variable
        assertEquals(VariableType.CONSTANT, DeepSvddGraph.build(SIZE, SIZE, 8, null).getVariable(DeepSvddGraph.CENTRE)
                .getVariableType());
        // same seed, one epoch instead of six: the same initial network, so the same centre, though other weights
        try (DeepSvddModel brief = new DeepSvddModel(1, 16, 1e-3, 1e-6, 8)) {
            brief.fit(train, new TrainingContext(42, ProgressListener.NONE));
            assertArrayEquals(c, brief.centre());
            assertNotEquals(brief.infer(train.subList(0, 1)).get(0).scalar(OutputKind.DISTANCE),
                    shared.infer(train.subList(0, 1)).get(0).scalar(OutputKind.DISTANCE));
        }
    }

    @Test
    void epsilonTrickPushesSmallCoordinatesOut() {
        float[] c = DeepSvddModel.initialCentre(new float[][] {{0.05f, -0.02f, 0f, 3f}, {0.03f, -0.04f, 0f, -1f}});
        assertArrayEquals(new float[] {0.1f, -0.1f, 0.1f, 1f}, c);
    }

    @Test
    void distanceIsSquaredDistanceToTheCentreAndTheScorerReadsIt() {
        List<ModelOutput> outs = shared.infer(train.subList(0, 3));
        float[] c = shared.centre();
        DistanceScorer scorer = new DistanceScorer();
        for (ModelOutput o : outs) {
            assertEquals(Set.of(OutputKind.LATENT, OutputKind.DISTANCE), o.kinds());
            double s = 0;
            for (int j = 0; j < c.length; j++) {
                double d = (double) o.latent()[j] - c[j];
                s += d * d;
            }
            assertEquals(s, o.scalar(OutputKind.DISTANCE), 1e-12);
            assertEquals(s, scorer.score(o).value(), 1e-12);
        }
        // an image unlike the training blobs lies farther out than the training images on average
        double mean = shared.infer(train).stream().mapToDouble(o -> o.scalar(OutputKind.DISTANCE)).average().orElseThrow();
        double odd = shared.infer(List.of(GrayImage.filled(SIZE, SIZE, 1f))).get(0).scalar(OutputKind.DISTANCE);
        assertTrue(odd > mean, "white image " + odd + " vs training mean " + mean);
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        shared.writeState(bytes);
        try (DeepSvddModel loaded = new DeepSvddModel(6, 16, 1e-3, 1e-6, 8)) {
            loaded.readState(new ByteArrayInputStream(bytes.toByteArray()));
            List<GrayImage> test = OneClassImages.blobs(5, SIZE, 99);
            List<ModelOutput> a = shared.infer(test);
            List<ModelOutput> b = loaded.infer(test);
            for (int i = 0; i < test.size(); i++) {
                assertArrayEquals(a.get(i).latent(), b.get(i).latent());
                assertEquals(a.get(i).scalar(OutputKind.DISTANCE), b.get(i).scalar(OutputKind.DISTANCE));
            }
            assertArrayEquals(shared.centre(), loaded.centre());
        }
        IOException other = assertThrows(IOException.class, () -> new DeepSvddModel(6, 16, 1e-3, 1e-6, 4)
                .readState(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(other.getMessage().contains("rep-dim 8"), other.getMessage());
    }

    @Test
    void errorsAndRegistration() {
        IllegalArgumentException sides = assertThrows(IllegalArgumentException.class,
                () -> new DeepSvddModel(1, 4, 1e-3, 0, 4).fit(List.of(GrayImage.filled(12, 12, 0f)),
                        new TrainingContext(1, ProgressListener.NONE)));
        assertTrue(sides.getMessage().contains("multiples of 8"), sides.getMessage());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
                () -> new DeepSvddModel(1, 4, 0, 0, 4));
        assertTrue(lr.getMessage().contains("deep-svdd.learning-rate"), lr.getMessage());
        assertThrows(IllegalStateException.class, () -> new DeepSvddModel(1, 4, 1e-3, 0, 4).infer(train));

        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertEquals(Set.of(OutputKind.LATENT, OutputKind.DISTANCE), registry.models().get("deep-svdd").outputs());
        assertEquals(List.of("epochs", "batch-size", "learning-rate", "weight-decay", "rep-dim", "engine",
                "inference-batch"),
                registry.models().get("deep-svdd").parameters().stream().map(s -> s.name()).toList());
        ScorerProvider distance = registry.scorers().get("distance");
        assertEquals(Set.of(OutputKind.DISTANCE), distance.requiredOutputs());
        assertTrue(registry.scorers().<DistanceScorer>create(PluginSpec.of("distance")) instanceof DistanceScorer);
    }
}
