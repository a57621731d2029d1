package io.github.deepc.anomaly.models.selfsup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.FileCheckpoints;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 for {@code defect-localizer}: a training stopped right after the checkpoint of epoch k (k = 1 .. epochs)
 * and resumed gives the state, outputs, loss and summary of an uninterrupted training bit for bit. That needs the
 * synthetic-defect stream put back where the finished epochs left it (every kind is drawn here, foreign patches with
 * donors too, and the defect draws take a number of values that depends on the image); a checkpoint of other images,
 * another seed or other options is refused. (The kill of a real process is {@code cli.ResumeLocalizerTrainingTest}.)
 */
class LocalizerResumeTest {
    private static final int EPOCHS = 3;
    private static final long SEED = 7;

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

    /** Batches of 8 over 20 images: a partial last batch; all five defect kinds. */
    private static DefectLocalizerModel model(int epochs) {
        return new DefectLocalizerModel(new LocalizerOptions(4, 3, 3, epochs, 8, 5e-3, 0.5,
                EnumSet.allOf(DefectKind.class), 0.1, 0.4, 0.02, 3.0));
    }

    private static List<GrayImage> images(long seed) {
        return HandPhantomGenerator.ofSize(32).normals(seed, 20).stream().map(Phantom::image).toList();
    }

    private static byte[] state(DefectLocalizerModel m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeState(out);
        return out.toByteArray();
    }

    @Test
    void resumingAfterAnyEpochEqualsAnUninterruptedTraining() throws IOException {
        List<GrayImage> images = images(1_000);
        DefectLocalizerModel uninterrupted = model(EPOCHS);
        List<Double> referenceLosses = new ArrayList<>();
        TrainingSummary reference = uninterrupted.fit(images, new TrainingContext(SEED, new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                referenceLosses.add(report.loss());
            }
        }, new FileCheckpoints(tmp.resolve("reference"), "run", false)));
        byte[] referenceState = state(uninterrupted);
        List<ModelOutput> referenceOutputs = uninterrupted.infer(images);
        assertEquals(EPOCHS, reference.epochs());
        // checkpoints change nothing: the same as a training without them
        DefectLocalizerModel plain = model(EPOCHS);
        plain.fit(images, new TrainingContext(SEED, ProgressListener.NONE));
        assertArrayEquals(referenceState, state(plain), "with and without checkpoints");

        for (int k = 1; k <= EPOCHS; k++) {
            FileCheckpoints file = new FileCheckpoints(tmp.resolve("cp-" + k), "run", false);
            int stop = k;
            assertThrows(Interrupted.class, () -> model(EPOCHS).fit(images, new TrainingContext(SEED,
                    ProgressListener.NONE, stoppingAfter(file, stop))));
            assertTrue(Files.exists(file.file()));
            List<EpochReport> trained = new ArrayList<>();
            DefectLocalizerModel m = model(EPOCHS);
            TrainingSummary resumed = m.fit(images, new TrainingContext(SEED, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport report) {
                    trained.add(report);
                }
            }, new FileCheckpoints(file.file(), "run", true)));
            String what = "resumed after epoch " + k;
            assertEquals(EPOCHS - k, trained.size(), what + ": epochs trained");
            for (EpochReport r : trained) {
                assertEquals(Double.doubleToLongBits(referenceLosses.get(r.epoch() - 1)),
                        Double.doubleToLongBits(r.loss()), what + ": loss of epoch " + r.epoch());
            }
            assertEquals(reference.epochs(), resumed.epochs(), what);
            assertEquals(reference.images(), resumed.images(), what);
            assertEquals(Double.doubleToLongBits(reference.finalLoss()), Double.doubleToLongBits(resumed.finalLoss()),
                    what + ": final loss");
            assertArrayEquals(referenceState, state(m), what + ": trained state");
            List<ModelOutput> o = m.infer(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(referenceOutputs.get(i).anomalyMap(), o.get(i).anomalyMap(), what + ": image " + i);
                assertArrayEquals(referenceOutputs.get(i).latent(), o.get(i).latent(), what + ": image " + i);
            }
        }
    }

    @Test
    void aCheckpointOfOtherImagesSeedOrOptionsIsRefused() {
        List<GrayImage> images = images(1_000);
        FileCheckpoints file = new FileCheckpoints(tmp.resolve("cp"), "run", false);
        assertThrows(Interrupted.class, () -> model(EPOCHS).fit(images, new TrainingContext(SEED,
                ProgressListener.NONE, stoppingAfter(file, 1))));
        FileCheckpoints resume = new FileCheckpoints(file.file(), "run", true);
        record Case(DefectLocalizerModel model, List<GrayImage> images, long seed) {
        }
        DefectLocalizerModel otherKinds = new DefectLocalizerModel(new LocalizerOptions(4, 3, 3, EPOCHS, 8, 5e-3, 0.5,
                EnumSet.of(DefectKind.CUT_PASTE), 0.1, 0.4, 0.02, 3.0));
        for (Case c : List.of(new Case(model(EPOCHS), images(2_000), SEED), new Case(model(EPOCHS), images, SEED + 1),
                new Case(model(EPOCHS + 1), images, SEED), new Case(otherKinds, images, SEED))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> c.model().fit(c.images(), new TrainingContext(c.seed(), ProgressListener.NONE, resume)));
            assertTrue(e.getMessage().contains("other data or model options"), e.getMessage());
        }
    }
}
