package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.FileCheckpoints;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.testkit.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 10 for the GANs, on both engines (dcgan, bigan and alpha-gan with its defaults, attention and
 * spectral norm, on the direct engine by default, alpha-gan also without them; alpha-gan and dcgan also on SameDiff): a
 * training
 * stopped right after the checkpoint of epoch k and resumed ends with the saved state (both players' weights and the
 * spectral-norm vectors) and the final loss of an uninterrupted training bit for bit; a checkpoint of other images or
 * another seed is refused.
 */
@ExtendWith(Nd4jSingleThread.class)
class GanResumeTest {
    private static final int EPOCHS = 3;

    @TempDir
    Path tmp;

    /** Thrown where a process would have died. */
    private static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted after a checkpoint");
        }
    }

    private static Checkpointing stoppingAfter(FileCheckpoints target, int stopAfter) {
        return new Checkpointing() {
            @Override
            public void save(String key, int epoch, Body body) throws IOException {
                target.save(key, epoch, body);
                if (epoch == stopAfter) {
                    throw new Interrupted();
                }
            }

            @Override
            public int restore(String key, Reader reader) throws IOException {
                return target.restore(key, reader);
            }

            @Override
            public Checkpointing part(String name) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** dcgan, bigan, alpha-gan (attention, spectral norm): the direct engine; and the other engine or options. */
    private static GanModel model(String id) {
        GanConfig.Builder b = GanModelTest.tiny().epochs(EPOCHS).spectralNorm(true);
        return switch (id) {
            case "alpha-gan-plain" -> GanModelTest.model(AlphaGanModel.ID, b.attention(false).spectralNorm(false).build());
            case "alpha-gan-samediff" -> GanModelTest.model(AlphaGanModel.ID, b.engine(CaeEngine.SAMEDIFF).build());
            case "dcgan-samediff" -> GanModelTest.model(DcganModel.ID, b.engine(CaeEngine.SAMEDIFF).build());
            default -> GanModelTest.model(id, b.build());
        };
    }

    private static byte[] state(AnomalyModel m) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        m.writeState(bos);
        return bos.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {DcganModel.ID, BiganModel.ID, AlphaGanModel.ID, "alpha-gan-plain", "alpha-gan-samediff",
        "dcgan-samediff"})
    void resumingAfterAnEpochEqualsAnUninterruptedTraining(String id) throws IOException {
        List<GrayImage> images = TestImages.blobs(12, 32, 2, 7);
        TrainingSummary reference;
        byte[] weights;
        try (GanModel m = model(id)) {
            reference = m.fit(images, new TrainingContext(3, ProgressListener.NONE,
                    new FileCheckpoints(tmp.resolve(id + "-reference"), "run", false)));
            weights = state(m);
        }
        for (int k = 1; k < EPOCHS; k++) {
            FileCheckpoints file = new FileCheckpoints(tmp.resolve(id + "-" + k), "run", false);
            int stop = k;
            try (GanModel m = model(id)) {
                assertThrows(Interrupted.class, () -> m.fit(images, new TrainingContext(3, ProgressListener.NONE,
                        stoppingAfter(file, stop))));
            }
            try (GanModel m = model(id)) {
                List<Integer> trained = new ArrayList<>();
                TrainingSummary resumed = m.fit(images, new TrainingContext(3, new ProgressListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        trained.add(report.epoch());
                    }
                }, new FileCheckpoints(file.file(), "run", true)));
                String what = id + " resumed after epoch " + k;
                assertEquals(EPOCHS - k, trained.size(), what + ": epochs trained " + trained);
                assertEquals(Double.doubleToLongBits(reference.finalLoss()),
                        Double.doubleToLongBits(resumed.finalLoss()), what + ": loss");
                assertArrayEquals(weights, state(m), what + ": saved state");
                if (id.equals(AlphaGanModel.ID)) {
                    assertTrue(m.directPlayers() != null && !m.directPlayers().spectralNorms().isEmpty(),
                            what + ": on the direct engine, with spectral-norm vectors in the state");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DcganModel.ID})
    void aCheckpointOfOtherImagesOrAnotherSeedIsRefused(String id) throws IOException {
        List<GrayImage> images = TestImages.blobs(12, 32, 2, 7);
        FileCheckpoints file = new FileCheckpoints(tmp.resolve("cp"), "run", false);
        try (GanModel m = model(id)) {
            assertThrows(Interrupted.class, () -> m.fit(images, new TrainingContext(3, ProgressListener.NONE,
                    stoppingAfter(file, 1))));
        }
        FileCheckpoints resume = new FileCheckpoints(file.file(), "run", true);
        List<GrayImage> others = TestImages.blobs(12, 32, 2, 8);
        for (TrainingContext c : List.of(new TrainingContext(3, ProgressListener.NONE, resume),
                new TrainingContext(4, ProgressListener.NONE, resume))) {
            try (GanModel m = model(id)) {
                UncheckedIOException e = assertThrows(UncheckedIOException.class,
                        () -> m.fit(c.seed() == 3 ? others : images, c));
                assertTrue(e.getMessage().contains("other data or model options"), e.getMessage());
            }
        }
    }
}
