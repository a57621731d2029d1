package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * Where a trained detector came from: enough to reproduce it or to explain a difference.
 *
 * @param libraryVersion  version of this library that trained it
 * @param javaVersion     Java runtime version
 * @param os              operating system and architecture
 * @param createdAt       ISO-8601 instant of training
 * @param seed            master seed
 * @param trainingImages  number of images the model was fitted on
 * @param trainingData    a description of the training data (e.g. the folder)
 * @param training        training figures (epochs, loss, images per second, seconds)
 */
public record Provenance(@JsonProperty("libraryVersion") String libraryVersion,
                         @JsonProperty("javaVersion") String javaVersion,
                         @JsonProperty("os") String os,
                         @JsonProperty("createdAt") String createdAt,
                         @JsonProperty("seed") long seed,
                         @JsonProperty("trainingImages") int trainingImages,
                         @JsonProperty("trainingData") String trainingData,
                         @JsonProperty("training") Map<String, Double> training) {

    /**
     * @param seed           master seed
     * @param trainingImages number of training images
     * @param trainingData   description of the training data
     * @param training       training figures
     * @return provenance of a detector trained now, on this runtime
     */
    public static Provenance now(long seed, int trainingImages, String trainingData, Map<String, Double> training) {
        return new Provenance(currentLibraryVersion(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Instant.now().toString(),
                seed, trainingImages, trainingData, Map.copyOf(training));
    }

    /** @return this library's version, from the build */
    public static String currentLibraryVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/io/github/deepc/anomaly/core/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
