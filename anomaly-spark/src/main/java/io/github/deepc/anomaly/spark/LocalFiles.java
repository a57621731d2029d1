package io.github.deepc.anomaly.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Gives executors a local file for an image or detector named by a local path or a Hadoop URI. The library's
 * decoders ({@link io.github.deepc.anomaly.core.imageio.ImageDecoders}) and {@code AnomalyDetector.load} read files,
 * so remote images are copied to a temporary file (with the same extension, which the decoders look at) for as
 * long as they are decoded.
 */
final class LocalFiles {
    private LocalFiles() {
    }

    /** A local file and whether it is a temporary copy to delete after use. */
    record Local(Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * @param location a local path, {@code file:} URI or Hadoop URI
     * @param content  the file's bytes when the input carried them, else {@code null}
     * @param conf     Hadoop configuration for remote file systems
     * @return a local file holding the image
     * @throws IOException when the file cannot be read; the message names it
     */
    static Local resolve(String location, byte[] content, Configuration conf) throws IOException {
        if (content != null) {
            Path tmp = Files.createTempFile("anomaly-spark-", suffix(location));
            Files.write(tmp, content);
            return new Local(tmp, true);
        }
        if (SampleRows.isLocal(location)) {
            return new Local(location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location), false);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = p.getFileSystem(conf);
        Path tmp = Files.createTempFile("anomaly-spark-", suffix(location));
        try (InputStream in = fs.open(p)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot read " + location + ": " + e.getMessage(), e);
        }
        return new Local(tmp, true);
    }

    /**
     * @param location a local path or Hadoop URI
     * @param conf     Hadoop configuration
     * @return the whole file
     * @throws IOException when it cannot be read; the message names it
     */
    static byte[] readAll(String location, Configuration conf) throws IOException {
        try (Local l = resolve(location, null, conf)) {
            return Files.readAllBytes(l.path());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("file not found: " + location, e);
        }
    }

    private static String suffix(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot >= 0 ? name.substring(dot) : ".img";
    }
}
