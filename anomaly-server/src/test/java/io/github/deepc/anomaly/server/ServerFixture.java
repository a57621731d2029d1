package io.github.deepc.anomaly.server;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A PCA detector trained on generated phantoms, serving a small scored phantom data set. */
final class ServerFixture implements AutoCloseable {
    final Path data;
    final Path work;
    final AnomalyDetector detector;
    final ScoringServer server;

    ServerFixture(Path tmp, int maxBytes) throws IOException {
        PhantomDataSetWriter writer = new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32));
        writer.write(tmp.resolve("train"), 30, 0, 1);
        data = tmp.resolve("data");
        writer.write(data, 6, 6, 1000);
        work = tmp.resolve("work");
        detector = AnomalyDetector.builder().pipeline(DetectorDefaults.pipeline(32))
                .model(PluginSpec.of("pca", "components", "8")).scorer(PluginSpec.of("masked-mse")).seed(3).build();
        detector.fit(ClassFolderLayout.withNormalClass("NORMAL").loadForTraining(tmp.resolve("train")).normals(),
                ProgressListener.NONE);
        detector.setThreshold(Threshold.fixed(0.01));
        server = ScoringServer.start(new ScoringService(detector, work), data, new InetSocketAddress("127.0.0.1", 0), maxBytes);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.close();
        detector.close();
    }
}
