package io.github.deepc.anomaly.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a stage may know about the current call: whether this is training (augmentation only applies then), a
 * seed reserved for this stage and image (so results do not depend on thread scheduling), and a place for notes
 * such as "no radiograph border found, image left unchanged".
 */
public final class StageContext {
    private final boolean training;
    private final long seed;
    private final String stageId;
    private final List<String> notes;

    /**
     * @param training whether the image is being prepared for training
     * @param seed     the seed of this stage for this image
     * @param stageId  the stage's id, prefixed to notes
     * @param notes    where notes are collected
     */
    public StageContext(boolean training, long seed, String stageId, List<String> notes) {
        this.training = training;
        this.seed = seed;
        this.stageId = stageId;
        this.notes = notes;
    }

    /**
     * A context for calling a stage on its own.
     *
     * @param training whether augmentation applies
     * @param seed     the seed
     * @return a context that keeps its notes to itself
     */
    public static StageContext standalone(boolean training, long seed) {
        return new StageContext(training, seed, "stage", new ArrayList<>());
    }

    /** @return whether the image is being prepared for training */
    public boolean training() {
        return training;
    }

    /** @return the seed of this stage for this image */
    public long seed() {
        return seed;
    }

    /** @return a new random source seeded with {@link #seed()} */
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    /**
     * Records something a person inspecting the result should know.
     *
     * @param message the note
     */
    public void note(String message) {
        synchronized (notes) {
            notes.add(stageId + ": " + message);
        }
    }

    /** @return the notes recorded so far */
    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }
}
