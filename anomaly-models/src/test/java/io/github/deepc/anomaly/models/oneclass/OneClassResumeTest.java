package io.github.deepc.anomaly.models.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.FileCheckpoints;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 10 for the deep one-class models on the direct engine: a training stopped right after the checkpoint
 * of epoch k (k = 1 .. epochs) and resumed gives the weights, centre, outputs and summary of an uninterrupted training
 * bit for bit (Deep SVDD's centre, fixed before training, comes back from the checkpoint; deep-one-class's reference
 * draws, which run across epochs, are replayed), and a checkpoint of other images, another seed or other options is
 * refused.
 */
class OneClassResumeTest {
    private static final int EPOCHS = 3;
    private static final int SIZE = 16;

    @TempDir
    Path tmp;

    /** Thrown where a process would have died. */
    private static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted after a checkpoint");
        }
    }

    /** Checkpoints that stop the training right after saving epoch {@code stopAfter}. */
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

    private static Supplier<CentredFeatureModel> model(String kind, int epochs) {
        // batches of 8 over 20 images: a partial last batch; 8 phantom reference images: reshuffled every batch
        return switch (kind) {
            case "deep-svdd" -> () -> new DeepSvddModel(epochs, 8, 3e-3, 1e-6, 8);
            case "deep-one-class" -> () -> new DeepOneClassModel(ReferenceSet.PHANTOMS, "", 2, 0.1, epochs, 8, 3e-3,
                    1e-6, 8);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep-svdd", "deep-one-class"})
    void resumingAfterAnyEpochEqualsAnUninterruptedTraining(String kind) throws IOException {
        List<GrayImage> images = OneClassImages.blobs(20, SIZE, 5);
        Supplier<CentredFeatureModel> make = model(kind, EPOCHS);
        TrainingSummary reference;
        float[][] weights;
        float[] centre;
        List<ModelOutput> outputs;
        try (CentredFeatureModel m = make.get()) {
            reference = m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                    new FileCheckpoints(tmp.resolve(kind + "-reference"), "run", false)));
            weights = m.network().store().snapshot();
            centre = m.centre();
            outputs = m.infer(images);
        }
        assertEquals(EPOCHS, reference.epochs());
        for (int k = 1; k <= EPOCHS; k++) {
            FileCheckpoints file = new FileCheckpoints(tmp.resolve(kind + "-" + k), "run", false);
            try (CentredFeatureModel m = make.get()) {
                int stop = k;
                assertThrows(Interrupted.class, () -> m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                        stoppingAfter(file, stop))));
            }
            try (CentredFeatureModel m = make.get()) {
                List<Integer> trained = new ArrayList<>();
                ProgressListener epochs = new ProgressListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        trained.add(report.epoch());
                    }
                };
                TrainingSummary resumed = m.fit(images, new TrainingContext(7, epochs,
                        new FileCheckpoints(file.file(), "run", true)));
                String what = kind + " resumed after epoch " + k;
                assertEquals(EPOCHS - k, trained.size(), what + ": epochs trained " + trained);
                assertEquals(reference.epochs(), resumed.epochs(), what);
                assertEquals(Double.doubleToLongBits(reference.finalLoss()),
                        Double.doubleToLongBits(resumed.finalLoss()), what + ": loss");
                float[][] w = m.network().store().snapshot();
                for (int i = 0; i < w.length; i++) {
                    assertArrayEquals(weights[i], w[i], what + ": tensor " + i);
                }
                assertArrayEquals(centre, m.centre(), what + ": centre");
                List<ModelOutput> o = m.infer(images);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(outputs.get(i).latent(), o.get(i).latent(), what + ": image " + i);
                    assertEquals(Double.doubleToLongBits(outputs.get(i).scalar(OutputKind.DISTANCE)),
                            Double.doubleToLongBits(o.get(i).scalar(OutputKind.DISTANCE)), what + ": image " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep-svdd", "deep-one-class"})
    void aCheckpointOfOtherImagesSeedOrOptionsIsRefused(String kind) throws IOException {
        List<GrayImage> images = OneClassImages.blobs(20, SIZE, 5);
        FileCheckpoints file = new FileCheckpoints(tmp.resolve("cp"), "run", false);
        try (CentredFeatureModel m = model(kind, EPOCHS).get()) {
            assertThrows(Interrupted.class, () -> m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                    stoppingAfter(file, 1))));
        }
        FileCheckpoints resume = new FileCheckpoints(file.file(), "run", true);
        List<GrayImage> others = OneClassImages.blobs(20, SIZE, 6);
        record Case(Supplier<CentredFeatureModel> model, List<GrayImage> images, long seed) {
        }
        for (Case c : List.of(new Case(model(kind, EPOCHS), others, 7), new Case(model(kind, EPOCHS), images, 8),
                new Case(model(kind, EPOCHS + 1), images, 7))) {
            try (CentredFeatureModel m = c.model().get()) {
                UncheckedIOException e = assertThrows(UncheckedIOException.class,
                        () -> m.fit(c.images(), new TrainingContext(c.seed(), ProgressListener.NONE, resume)));
                assertTrue(e.getMessage().contains("other data or model options"), e.getMessage());
            }
        }
    }
}
