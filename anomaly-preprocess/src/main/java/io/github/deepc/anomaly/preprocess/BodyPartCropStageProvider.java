package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code body-part-crop} stage ({@link BodyPartCropStage}). Parameters: {@code model} (path, default
 * empty: the classical detector), the detector network file; {@code config} (path, default empty), its text config
 * such as a TensorFlow {@code .pbtxt}; {@code confidence} (in [0, 1], default 0.5); {@code class-id} (integer, -1
 * for any class, default -1); {@code margin} (in [0, 2], default 0.05), added on every side as a fraction of the
 * box; {@code input-size} (integer in [8, 4096], default 300), the network's square input; {@code scale} (default
 * 1.0) and {@code mean} (in [0, 255], default 0), the blob's {@code (v - mean) * scale}; {@code channels} (1 or 3,
 * default 3); {@code min-area} (in [0, 1], default 0.005), the smallest tissue component of the classical
 * detector. A missing or unreadable model is an error when the stage is created.
 */
public final class BodyPartCropStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofString("model", "",
                    "Detector network file (ONNX, TensorFlow .pb, Caffe, Darknet...); empty = classical detector."),
            ParameterSpec.ofString("config", "",
                    "The network's text config (e.g. a TensorFlow .pbtxt), when its format needs one; empty = none."),
            ParameterSpec.ofDouble("confidence", 0.5, 0.0, 1.0,
                    "Smallest confidence of a detection the crop may use."),
            ParameterSpec.ofInt("class-id", -1, -1, Integer.MAX_VALUE,
                    "Detector class of the body part; -1 = any class."),
            ParameterSpec.ofDouble("margin", 0.05, 0.0, BodyPartCropStage.MAX_MARGIN,
                    "Added on every side of the box, as a fraction of its width and height; the crop is clamped to the image."),
            ParameterSpec.ofInt("input-size", 300, BodyPartCropStage.MIN_INPUT_SIZE, BodyPartCropStage.MAX_INPUT_SIZE,
                    "Side of the network's square input, in pixels."),
            ParameterSpec.ofDouble("scale", 1.0, 1e-9, 1e9,
                    "Blob scale factor, applied after subtracting mean from the 0..255 pixels (e.g. 0.007843)."),
            ParameterSpec.ofDouble("mean", 0.0, 0.0, 255.0,
                    "Value subtracted from every 0..255 pixel before scaling (e.g. 127.5)."),
            ParameterSpec.ofChoice("channels", "3",
                    "Network input channels: 1, or 3 (the grey image repeated).", "1", "3"),
            ParameterSpec.ofDouble("min-area", 0.005, 0.0, 1.0,
                    "Classical detector: smallest tissue component, as a fraction of the image."));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public BodyPartCropStageProvider() {
    }

    /** The input's range: a crop never changes pixel values. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input;
    }

    @Override
    public String id() {
        return BodyPartCropStage.ID;
    }

    @Override
    public String description() {
        return "Crops to the body part found by an SSD detector network (OpenCV DNN) or, without one, a classical detector.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        String model = params.getString("model");
        String config = params.getString("config");
        double margin = params.getDouble("margin");
        double minArea = params.getDouble("min-area");
        if (model.isEmpty()) {
            if (!config.isEmpty()) {
                throw new IllegalArgumentException("parameter " + BodyPartCropStage.ID + ".config is given ('" + config
                        + "') but " + BodyPartCropStage.ID + ".model is not; set model to the network file");
            }
            return new BodyPartCropStage(margin, minArea);
        }
        BodyPartCropStage.Network network = new BodyPartCropStage.Network(path("model", model),
                config.isEmpty() ? null : path("config", config), params.getInt("input-size"), params.getDouble("scale"),
                params.getDouble("mean"), Integer.parseInt(params.getString("channels")), params.getDouble("confidence"),
                params.getInt("class-id"));
        return new BodyPartCropStage(network, margin, minArea);
    }

    private static Path path(String param, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("parameter " + BodyPartCropStage.ID + "." + param + "='" + value
                    + "' is not a valid path: " + e.getReason(), e);
        }
    }
}
