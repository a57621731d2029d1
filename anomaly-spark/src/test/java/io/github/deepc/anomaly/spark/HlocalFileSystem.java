package io.github.deepc.anomaly.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code hlocal:}, so that tests take the Hadoop URI path (listing with
 * Hadoop's FileSystem, copying each image to a temporary file) as they would with {@code hdfs://} or {@code s3a://}.
 */
public final class HlocalFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
        return URI.create("hlocal:///");
    }

    @Override
    public java.io.File pathToFile(org.apache.hadoop.fs.Path path) {
        return new java.io.File(path.toUri().getPath());
    }

    /** Plain statuses: the local ones read permissions through java.io.File(URI), which accepts only file: URIs. */
    @Override
    public org.apache.hadoop.fs.FileStatus[] listStatus(org.apache.hadoop.fs.Path f) throws java.io.IOException {
        org.apache.hadoop.fs.FileStatus[] local = super.listStatus(f);
        org.apache.hadoop.fs.FileStatus[] out = new org.apache.hadoop.fs.FileStatus[local.length];
        for (int i = 0; i < local.length; i++) {
            org.apache.hadoop.fs.FileStatus s = local[i];
            out[i] = new org.apache.hadoop.fs.FileStatus(s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(),
                    s.getPath());
        }
        return out;
    }

    @Override
    public String getScheme() {
        return "hlocal";
    }
}
