package io.github.deepc.anomaly.core.pipeline;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;

/**
 * The output of a pipeline: the image and the stages' notes.
 *
 * @param image the processed image
 * @param notes what stages reported (e.g. a crop that found nothing)
 */
public record ProcessedImage(GrayImage image, List<String> notes) {
    /** Copies the notes. */
    public ProcessedImage {
        notes = List.copyOf(notes);
    }
}
