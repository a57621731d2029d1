package io.github.deepc.anomaly.core.data;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An ordered, immutable list of {@link Sample}s. Images are not held in memory: {@link #load(Sample)} decodes
 * one on demand.
 */
public final class DataSet {
    private final Path root;
    private final List<Sample> samples;

    /**
     * @param root    the folder the samples were found in (for messages and relative ids)
     * @param samples the samples, in a stable order
     */
    public DataSet(Path root, List<Sample> samples) {
        this.root = Objects.requireNonNull(root, "root");
        this.samples = List.copyOf(samples);
    }

    /** @return the data set's root folder */
    public Path root() {
        return root;
    }

    /** @return all samples, in a stable (sorted path) order */
    public List<Sample> samples() {
        return samples;
    }

    /** @return the number of samples */
    public int size() {
        return samples.size();
    }

    /** @return the samples labelled normal */
    public List<Sample> normals() {
        return filter(s -> s.label() == Label.NORMAL).samples();
    }

    /** @return the samples labelled abnormal */
    public List<Sample> abnormals() {
        return filter(s -> s.label() == Label.ABNORMAL).samples();
    }

    /**
     * @param keep which samples to keep
     * @return a data set of the matching samples, same root, same order
     */
    public DataSet filter(Predicate<Sample> keep) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (keep.test(s)) {
                out.add(s);
            }
        }
        return new DataSet(root, out);
    }

    /**
     * @param n at most this many samples
     * @return the first {@code n} samples (all when there are fewer)
     */
    public DataSet limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return new DataSet(root, samples.subList(0, Math.min(n, samples.size())));
    }

    /** @return the distinct class folder names, sorted */
    public List<String> classNames() {
        List<String> names = new ArrayList<>(samples.stream().map(Sample::className).distinct().toList());
        Collections.sort(names);
        return names;
    }

    /**
     * Decodes a sample's image with the preferred {@link io.github.deepc.anomaly.core.image.ImageDecoder}.
     *
     * @param sample the sample
     * @return its image, all pixels valid
     * @throws IOException when the file cannot be decoded; the message names the file
     */
    public static GrayImage load(Sample sample) throws IOException {
        return ImageDecoders.decode(sample.path());
    }

    @Override
    public String toString() {
        return "DataSet[" + root + ", " + samples.size() + " samples]";
    }
}
