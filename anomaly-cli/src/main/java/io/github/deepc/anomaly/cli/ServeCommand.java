package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.server.ScoringServer;
import io.github.deepc.anomaly.server.ScoringService;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anomaly serve}: the local viewer and JSON scoring API until the process is stopped. */
@Command(name = "serve", description = {"Serve a local web viewer of a scored folder and a JSON scoring API:",
    "POST /v1/score (image bytes), GET /v1/health, GET /v1/detector, GET /v1/images. Stop with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--detector", required = true, paramLabel = "FILE", description = "A detector saved by 'train'.")
    Path detectorFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Images to score at start-up and browse (class folders or loose images).")
    Path data;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String bind;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "serve-work",
            description = "The only folder the server writes to: uploads are kept there while they are decoded (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "32", description = "Largest accepted upload (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        if (maxUploadMb < 1 || maxUploadMb > 1024) {
            throw new IllegalArgumentException("--max-upload-mb must be in [1, 1024], got " + maxUploadMb);
        }
        if (data != null && !Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data is not a folder: " + data);
        }
        AnomalyDetector detector = AnomalyDetector.load(detectorFile);
        ScoringServer server = ScoringServer.start(new ScoringService(detector, out), data,
                new InetSocketAddress(bind, port), maxUploadMb << 20);
        spec.commandLine().getOut().printf("serving on http://%s:%d/ (Ctrl-C to stop)%n", bind, server.port());
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            detector.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
