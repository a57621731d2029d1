package io.github.deepc.anomaly.models.cae;

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
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import io.github.deepc.anomaly.testkit.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 10 in-process, for every autoencoder and with validation and early stopping: a training stopped right
 * after the checkpoint of epoch k (k = 1 .. epochs) and resumed gives the weights, outputs and summary of an
 * uninterrupted training bit for bit. (The kill of a real process is {@code cli.ResumeTrainingTest}.)
 */
class ResumeFromCheckpointTest {
    private static final int EPOCHS = 4;

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

    private static Supplier<ConvAutoencoder> model(String kind) {
        // validation with patience 1 so that early stopping (and its kept best weights) is part of what resumes
        TrainingOptions opts = new TrainingOptions(EPOCHS, 8, 3e-3, 0.25, 1);
        return switch (kind) {
            case "cae" -> () -> new CaeModel("custom", new ConvLayout(2, 4, 3, Activation.SIGMOID), opts);
            case "bottleneck-cae" -> () -> new BottleneckCaeModel(new ConvLayout(2, 4, 3, Activation.SIGMOID), 6, opts);
            case "vae" -> () -> new VaeModel(new ConvLayout(2, 4, 3, Activation.SIGMOID), 6, PixelLoss.MSE, 1.0, opts);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"cae", "bottleneck-cae", "vae"})
    void resumingAfterAnyEpochEqualsAnUninterruptedTraining(String kind) throws IOException {
        List<GrayImage> images = TestImages.random(28, 16, 16, 3);
        Supplier<ConvAutoencoder> make = model(kind);
        TrainingSummary reference;
        float[][] weights;
        List<ModelOutput> outputs;
        try (ConvAutoencoder m = make.get()) {
            reference = m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                    new FileCheckpoints(tmp.resolve(kind + "-reference"), "run", false)));
            weights = m.parameters().snapshot();
            outputs = m.infer(images);
        }
        for (int k = 1; k <= reference.epochs(); k++) {
            FileCheckpoints file = new FileCheckpoints(tmp.resolve(kind + "-" + k), "run", false);
            try (ConvAutoencoder m = make.get()) {
                int stop = k;
                assertThrows(Interrupted.class, () -> m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                        stoppingAfter(file, stop))));
            }
            try (ConvAutoencoder m = make.get()) {
                TrainingSummary resumed = m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                        new FileCheckpoints(file.file(), "run", true)));
                assertEquals(reference.epochs(), resumed.epochs(), kind + " resumed after epoch " + k);
                assertEquals(Double.doubleToLongBits(reference.finalLoss()),
                        Double.doubleToLongBits(resumed.finalLoss()), kind + " after epoch " + k);
                float[][] w = m.parameters().snapshot();
                for (int i = 0; i < w.length; i++) {
                    assertArrayEquals(weights[i], w[i], kind + " resumed after epoch " + k + ": tensor " + i);
                }
                List<ModelOutput> o = m.infer(images);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(outputs.get(i).reconstruction(), o.get(i).reconstruction());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cae"})
    void aCheckpointOfOtherImagesOrAnotherSeedIsRefused(String kind) throws IOException {
        List<GrayImage> images = TestImages.random(28, 16, 16, 3);
        FileCheckpoints file = new FileCheckpoints(tmp.resolve("cp"), "run", false);
        try (ConvAutoencoder m = model(kind).get()) {
            assertThrows(Interrupted.class, () -> m.fit(images, new TrainingContext(7, ProgressListener.NONE,
                    stoppingAfter(file, 1))));
        }
        FileCheckpoints resume = new FileCheckpoints(file.file(), "run", true);
        List<GrayImage> others = TestImages.random(28, 16, 16, 4);
        for (TrainingContext c : List.of(new TrainingContext(7, ProgressListener.NONE, resume),
                new TrainingContext(8, ProgressListener.NONE, resume))) {
            try (ConvAutoencoder m = model(kind).get()) {
                UncheckedIOException e = assertThrows(UncheckedIOException.class,
                        () -> m.fit(c.seed() == 7 ? others : images, c));
                assertTrue(e.getMessage().contains("other data or model options"), e.getMessage());
            }
        }
        FileCheckpoints otherRun = new FileCheckpoints(file.file(), "another run", true);
        try (ConvAutoencoder m = model(kind).get()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> m.fit(images, new TrainingContext(7, ProgressListener.NONE, otherRun)));
            assertTrue(e.getMessage().contains("other arguments"), e.getMessage());
        }
    }
}
